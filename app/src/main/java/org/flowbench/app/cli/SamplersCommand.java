package org.flowbench.app.cli;

import java.util.concurrent.Callable;
import org.flowbench.engine.model.Capabilities;
import org.flowbench.samplers.ParamSpec;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flowbench samplers [ID]}: the sampler ids, and each one's parameters with defaults and ranges. */
@Command(name = "samplers", mixinStandardHelpOptions = true,
        description = "List the samplers; with an id, its parameters (defaults and allowed values).")
public final class SamplersCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "a sampler id: show its parameters")
    String id;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (id == null) {
            for (SamplerRegistry.Entry e : SamplerRegistry.all()) {
                out.printf("%-16s %s%n", e.id(), e.description());
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
