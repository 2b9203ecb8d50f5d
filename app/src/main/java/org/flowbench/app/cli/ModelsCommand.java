package org.flowbench.app.cli;

import java.util.concurrent.Callable;
import org.flowbench.engine.model.ModelResolver;
import org.flowbench.engine.model.Models;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flowbench models}: the built-in models. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the built-in models.")
public final class ModelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--json", description = "print as JSON")
    boolean json;


    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Cli.json(Models.builtins()));
            return 0;
        }
        for (ModelResolver.ModelInfo m : Models.builtins()) {
            out.printf("%-28s %-22s %s%n", m.ref(), m.kind(), m.description());
        }
        out.println();
        out.println("Also: a model package folder, or a mixture spec .json file (see docs/models.md).");
        return 0;
    }
}
