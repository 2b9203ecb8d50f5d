package org.flowbench.app.cli;

import org.flowbench.engine.run.PngRecipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Configs;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench sample}: draw samples with one sampler and write them as NPY plus a run manifest. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Draw samples with one sampler.")
public final class SampleCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "builtin:fashion-flow",
            description = "builtin:NAME, a model package folder, or a spec .json (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--sampler", defaultValue = "euler",
            description = "sampler id (default ${DEFAULT-VALUE}, 32 steps; see flowbench samplers)")
    String sampler;

    @Option(names = "--steps", description = "number of steps (sets the 'steps' parameter)")
    Integer steps;

    @Option(names = "--param", description = "sampler parameter name=value (repeatable)")
    List<String> params = new ArrayList<>();

    @Option(names = "--n", defaultValue = "1000", description = "number of samples (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--batch", defaultValue = "500", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--prompt", defaultValue = "", description = "class prompt; 'all' = every class in turn (image i "
            + "gets class i mod C); a comma-separated list = those prompts in turn; empty = unconditional")
    String prompt;

    @Option(names = "--out", required = true, description = "output .npy file (float32 [n, dims...] in image order) or .png grid with the recipe as text metadata")
    Path out;

    @Option(names = "--manifest", description = "write the run manifest (JSON) here")
    Path manifest;


    @Option(names = "--json", description = "print the summary (the manifest's content) as JSON")
    boolean jsonSummary;

    @Option(names = "--allow-nan", description = "write samples even if some are not finite (default: fail, rc 1)")
    boolean allowNan;

    @Override
    public Integer call() throws Exception {
        deviceOption.apply();
        Map<String, String> p = new LinkedHashMap<>(Configs.parsePairs(params));
        if (steps != null) {
            String given = p.put("steps", Integer.toString(steps));
            if (given != null && !given.strip().equals(Integer.toString(steps))) {
                throw new FlowbenchException("--steps " + steps + " and --param steps=" + given + " disagree",
                        "give the number of steps once");
            }
        }
        Sampler s = SamplerRegistry.create(sampler, p);
        String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean png = name.endsWith(".png");
        if (!name.endsWith(".npy") && !png) {
            throw new FlowbenchException("--out must end in .npy or .png, got " + out);
        }
        Map<String, java.nio.file.Path> outputs = new LinkedHashMap<>();
        outputs.put("--out", out);
        outputs.put("--manifest", manifest);
        Path extrasDir = Extras.folderFor(out);
        outputs.put("--out (extras)", extrasDir.resolve("noise.npy"));
        String modelPath = model.contains("?") ? model.substring(0, model.indexOf('?')) : model;
        OutputPaths.check(model.startsWith("builtin:") ? Map.of() : Map.of("--model", java.nio.file.Path.of(modelPath)),
                outputs);
        try (FlowModel m = Models.open(model)) {
            org.flowbench.engine.run.MemoryBudget.requireSamples(n, m.dim(), 2, "sample --n " + n);
            SamplerRegistry.get(sampler).checkModel(m);
            PromptSet prompts = PromptSet.parse(prompt, m);
            SamplingRequest req = SamplingRequest.conditioned(seed, 0, n, batch, prompts.cycle(), 0);
            var err = spec.commandLine().getErr();
            long start = System.nanoTime();
            Extras extras = new Extras(n);
            ProgressReport report = ProgressReport.on(err, s.id(), "steps");
            ProgressListener pl = new ProgressListener() {
                @Override
                public void extras(long firstImage, int count, Map<String, double[]> perImage) {
                    extras.add(firstImage, count, perImage);
                }

                @Override
                public void progress(long done, long total, String what) {
                    report.update(done, total);
                }
            };
            SampleBatch result = s.sample(req, m, pl, CancellationToken.NONE);
            double wall = (System.nanoTime() - start) / 1e9;
            report.finish();
            int d = m.dim();
            double[] xs = result.samples();
            for (int i = 0; i < xs.length && !allowNan; i++) {
                if (!Double.isFinite(xs[i])) {
                    err.println("flowbench: image " + (i / d) + " has a non-finite value (" + xs[i] + "): the sampler "
                            + "diverged on " + m.id() + "; nothing was written (--allow-nan writes it anyway)");
                    return 1;
                }
            }
            int[] shape = new int[m.shape().length + 1];
            shape[0] = n;
            System.arraycopy(m.shape(), 0, shape, 1, m.shape().length);
            if (png) {
                int[] ms = m.shape();
                if (ms.length != 3 || ms[0] != 1) {
                    throw new FlowbenchException("a PNG grid needs grey images [1, h, w]; model " + m.id() + " has shape "
                            + java.util.Arrays.toString(ms), "write .npy instead");
                }
                Map<String, Object> recipe = new LinkedHashMap<>(result.manifest().entries());
                recipe.put("prompt", prompt);
                recipe.put("prompts", prompts.description());
                recipe.put("command", "flowbench sample " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
                org.flowbench.engine.io.Png.writeGrid(out, result.samples(), n, ms[1], ms[2],
                        (int) Math.ceil(Math.sqrt(n)), PngRecipe.text(recipe, ms), PngRecipe.UTF8_KEYS);
            } else {
                Npy.writeFloat32(out, shape, result.samples());
            }
            if (!extras.isEmpty()) {
                extras.write(extrasDir, m.shape());
            }
            Map<String, Object> json = new LinkedHashMap<>(result.manifest().entries());
            {
                if (!extras.isEmpty()) {
                    json.put("extras", extrasDir.toString());
                    json.put("extraMeans", extras.means());
                }
                json.put("prompt", prompt);
                json.put("prompts", prompts.description());
                json.put("nfePerImage", result.totalNfe() / (double) n);
                json.put("nfeTotal", result.totalNfe());
                json.put("costTotal", result.cost().totals());
                json.put("wallSeconds", wall);
                json.put("output", out.toString());
            }
            if (manifest != null) {
                AtomicFiles.write(manifest, Json.MAPPER.writeValueAsBytes(json));
            }
            if (jsonSummary) {
                // the manifest's content: what ran, what it cost, where it went
                spec.commandLine().getOut().println(Cli.json(json));
                return 0;
            }
            spec.commandLine().getOut().printf("wrote %d samples to %s (NFE/image %.1f, %.2f s)%n", n, out,
                    result.totalNfe() / (double) n, wall);
            if (!extras.isEmpty()) {
                spec.commandLine().getOut().printf("per-image outputs in %s; means: %s%n", extrasDir,
                        extras.meansText());
            }
        }
        return 0;
    }
}
