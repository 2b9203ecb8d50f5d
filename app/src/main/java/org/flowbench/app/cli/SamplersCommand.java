package org.flowbench.app.cli;

import java.util.concurrent.Callable;
import org.flowbench.engine.model.Capabilities;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.samplers.ParamSpec;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code flowbench samplers [ID] [--model M]}: the sampler ids (with a model: which of them can run on it and why the
 * others cannot), and each one's needs and parameters with defaults and ranges.
 */
@Command(name = "samplers", mixinStandardHelpOptions = true,
        description = "List the samplers (with --model: which can run on it, and why not the others); with an id, "
                + "its needs and parameters (defaults and allowed values).")
public final class SamplersCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "a sampler id: show its parameters")
    String id;

    @CommandLine.Option(names = "--model", paramLabel = "MODEL", description = "mark the samplers that cannot run on "
            + "this model (builtin:NAME, a package folder, a spec.json), with the reason")
    String model;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (id == null) {
            java.util.Map<String, String> unavailable = new java.util.LinkedHashMap<>();
            if (model != null) {
                try (FlowModel m = Models.open(model)) {
                    for (SamplerRegistry.Entry e : SamplerRegistry.all()) {
                        String why = e.unavailableOn(m);
                        if (why != null) {
                            unavailable.put(e.id(), why);
                        }
                    }
                }
            }
            for (SamplerRegistry.Entry e : SamplerRegistry.all()) {
                String why = unavailable.get(e.id());
                out.printf("%-16s %s%n", e.id(), why == null ? e.description() : "(not for this model: " + why + ")");
            }
            out.println();
            out.println("flowbench samplers ID lists a sampler's parameters; "
                    + "set them with --steps N and --param name=value.");
            return 0;
        }
        SamplerRegistry.Entry e = SamplerRegistry.get(id);
        out.printf("%s: %s%n", e.id(), e.description());
        out.printf("needs %s%n%n", String.join(", ", e.needs().stream().map(Capabilities::describe).toList()));
        for (ParamSpec p : e.params()) {
            String dflt = p.defaultValue().isEmpty() ? "(none)" : p.defaultValue();
            out.printf("  %-16s default %-10s %s; %s%n", p.name(), dflt, p.rangeText(), p.description());
        }
        return 0;
    }
}
