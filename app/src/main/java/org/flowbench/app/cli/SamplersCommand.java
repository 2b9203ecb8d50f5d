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

    @CommandLine.Option(names = "--json", description = "print as JSON")
    boolean json;


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
            if (json) {
                java.util.List<java.util.Map<String, Object>> list = new java.util.ArrayList<>();
                for (SamplerRegistry.Entry e : SamplerRegistry.all()) {
                    java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
                    j.put("id", e.id());
                    j.put("description", e.description());
                    if (model != null) {
                        j.put("available", !unavailable.containsKey(e.id()));
                        j.put("why", unavailable.get(e.id()));
                    }
                    list.add(j);
                }
                out.println(Cli.json(list));
                return 0;
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
        if (json) {
            java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
            j.put("id", e.id());
            j.put("description", e.description());
            j.put("needs", e.needs().stream().map(Capabilities::describe).toList());
            j.put("params", e.params().stream().map(p -> {
                java.util.Map<String, Object> q = new java.util.LinkedHashMap<>();
                q.put("name", p.name());
                q.put("default", p.defaultValue());
                q.put("range", p.rangeText());
                q.put("description", p.description());
                return q;
            }).toList());
            out.println(Cli.json(j));
            return 0;
        }
        out.printf("%s: %s%n", e.id(), e.description());
        out.printf("needs %s%n%n", String.join(", ", e.needs().stream().map(Capabilities::describe).toList()));
        for (ParamSpec p : e.params()) {
            String dflt = p.defaultValue().isEmpty() ? "(none)" : p.defaultValue();
            out.printf("  %-16s default %-10s %s; %s%n", p.name(), dflt, p.rangeText(), p.description());
        }
        return 0;
    }
}
