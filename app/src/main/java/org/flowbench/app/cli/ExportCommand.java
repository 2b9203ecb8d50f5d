package org.flowbench.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Safetensors;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench export}: a built-in model's weights for use elsewhere. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a built-in model's weights.")
public final class ExportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print the summary as JSON")
    boolean json;


    @Option(names = "--model", required = true, description = "builtin:NAME or a model package folder")
    String model;

    @Option(names = "--format", defaultValue = "safetensors", description = "output format: safetensors")
    String format;

    @Option(names = "--out", required = true, description = "output file (.safetensors)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("safetensors")) {
            throw new FlowbenchException("unknown export format '" + format + "'", "use --format safetensors");
        }
        Path dir = model.startsWith("builtin:") ? PackageResolver.builtinDir(model.substring("builtin:".length()))
                : Path.of(model);
        ModelPackage p = ModelPackage.open(dir);
        String file = p.weights().keySet().stream().filter(n -> n.endsWith(".safetensors")).findFirst()
                .orElseThrow(() -> new FlowbenchException("model package " + dir + " has no safetensors weights"));
        Safetensors.Contents c = Safetensors.read(p.resolveInside(file));
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("flowbench.model", String.valueOf(p.manifest().get("name")));
        meta.put("flowbench.architecture", p.string("architecture"));
        meta.put("flowbench.config", org.flowbench.engine.io.Json.MAPPER.writeValueAsString(p.map("config")));
        meta.put("flowbench.manifest.sha256", p.hash());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Safetensors.write(out, c.tensors(), meta);
        Files.deleteIfExists(out.resolveSibling(out.getFileName() + ".bak"));
        if (json) {
            spec.commandLine().getOut().println(Cli.json(java.util.Map.of("output", out.toString(), "model", model,
                    "tensors", c.tensors().size(), "format", format)));
            return 0;
        }
        spec.commandLine().getOut().printf("wrote %d tensors of %s to %s%n", c.tensors().size(), model, out);
        return 0;
    }
}
