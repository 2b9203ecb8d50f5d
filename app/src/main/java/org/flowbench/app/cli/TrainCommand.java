package org.flowbench.app.cli;

import org.flowbench.engine.run.PngRecipe;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Png;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.Quantisation;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.engine.model.pkg.ClassifierModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.engine.train.ClassifierRecipe;
import org.flowbench.engine.train.FlowRecipe;
import org.flowbench.engine.train.Recipe;
import org.flowbench.engine.train.ReferenceStatistics;
import org.flowbench.engine.train.Trainer;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code flowbench train flow|classifier}: the recipes of the built-in models, resumable. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a built-in model (resumable).",
        subcommands = {TrainCommand.Flow.class, TrainCommand.Classifier.class, TrainCommand.RefStats.class,
                TrainCommand.ContactSheet.class, TrainCommand.Evaluate.class, TrainBossCommand.class,
                TrainSlimFlowCommand.class, TrainRenoCommand.class, TrainRealismCommand.class, TrainNitroCommand.class, TrainCommand.Mar.class})
public final class TrainCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class Base implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", description = "Fashion-MNIST IDX folder (default /usr/share/datasets/fashion-mnist), "
                + "an .npy of images [n,(1,)h,w] (labels in NAME.labels.npy) or a folder of images (sub-folders = classes)")
        Path data;

        @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--resume", description = "continue from OUT/checkpoint.safetensors if it exists")
        boolean resume;

        @Option(names = "--checkpoint-every", defaultValue = "300", description = "seconds between checkpoints")
        double checkpointSeconds;

        @Option(names = "--log-every", defaultValue = "50", description = "steps between progress lines")
        int logEvery;

        abstract Recipe recipe(String command);

        /** The recipe of these options with the subcommand's own ones; out defaults to home/defaultOut. */
        final Recipe recipe(Path out, String defaultOut, long steps, int batch, double lr, int warmup, double ema,
                String command) {
            Path o = out != null ? out : home().resolve(defaultOut);
            return new Recipe(data, o, steps, batch, seed, lr, warmup, ema, resume, checkpointSeconds, command, gitCommit());
        }

        /** Trains r into r.out(), which {@link #call} has created. */
        abstract Trainer.Result train(Recipe r, Trainer.Listener l, CancellationToken c) throws Exception;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            String command = "flowbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            Recipe r = recipe(command.replace(" --resume", ""));
            PrintWriter err = spec.commandLine().getErr();
            CancellationToken cancel = new CancellationToken();
            Trainer.Listener l = p -> {
                if (p.step() % logEvery == 0 || p.step() == p.totalSteps() || p.skippedThisStep()) {
                    err.printf("step %d/%d loss %.5f |g| %.3f lr %.2e skipped %d %.3f s/step ETA %s%n", p.step(),
                            p.totalSteps(), p.loss(), p.gradNorm(), p.lr(), p.skipped(), p.secondsPerStep(),
                            eta(p.etaSeconds()));
                    err.flush();
                }
            };
            Trainer.Result res;
            try (AutoCloseable lock = org.flowbench.app.project.OutputFolder.lock(r.out(), command);
                 AutoCloseable hook = TrainSlimFlowCommand.cancelOnShutdown(cancel)) {
                Files.createDirectories(r.out());
                res = train(r, l, cancel);
            }
            spec.commandLine().getOut().printf("%s at step %d (skipped %d, last loss %.5f, %.0f s); %s%n",
                    res.finished() ? "finished" : "stopped", res.step(), res.skipped(), res.lastLoss(), res.seconds(),
                    res.finished() ? "package written to " + r.out() : "resume with --resume");
            return 0;
        }

        static String eta(double s) {
            long t = Math.round(s);
            return String.format("%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
        }

        static String gitCommit() {
            try {
                Path home = Path.of(System.getProperty("flowbench.home", "."));
                Process p = new ProcessBuilder("git", "-C", home.toString(), "rev-parse", "HEAD").redirectErrorStream(true)
                        .start();
                String s = new String(p.getInputStream().readAllBytes()).trim();
                return p.waitFor() == 0 ? s : "unknown";
            } catch (Exception e) {
                return "unknown";
            }
        }

        static Path home() {
            return Path.of(System.getProperty("flowbench.home", "."));
        }
    }

    /** A recipe whose checkpoint can be packaged without training, to look at a run in progress. */
    abstract static class PackagingBase extends Base {
        @Option(names = "--package-checkpoint", paramLabel = "DIR",
                description = "do not train: write a package from the EMA weights of OUT/checkpoint.safetensors into DIR")
        Path packageTo;

        /** Writes the package of r's checkpoint into dir. */
        abstract void packageCheckpoint(Recipe r, Path dir) throws Exception;

        @Override
        public Integer call() throws Exception {
            if (packageTo == null) {
                return super.call();
            }
            Recipe r = recipe("flowbench train " + spec.name());
            packageCheckpoint(r, packageTo);
            spec.commandLine().getOut().printf("wrote a package of %s to %s%n", r.checkpoint(), packageTo);
            return 0;
        }
    }

    @Command(name = "flow", mixinStandardHelpOptions = true, description = "Rectified-flow UNet on Fashion-MNIST.")
    static final class Flow extends PackagingBase {
        @Option(names = "--out", description = "package folder (default models/fashion-flow)")
        Path out;

        @Option(names = "--steps", defaultValue = "10000", description = "training steps (default ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--batch", defaultValue = "64", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--lr", defaultValue = "5e-4", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--warmup", defaultValue = "500", description = "warm-up steps (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--ema", defaultValue = "0.999", description = "nominal EMA decay (default ${DEFAULT-VALUE})")
        double ema;

        @Option(names = "--label-dropout", defaultValue = "0.1", description = "share of labels replaced by the null "
                + "class, which trains unconditional sampling (default ${DEFAULT-VALUE})")
        double labelDropout;

        @Option(names = "--init", paramLabel = "MODEL", description = "fine-tune: start from this flow-unet-v1 package's "
                + "weights (e.g. builtin:fashion-flow) instead of from scratch")
        String init;

        @Override
        Recipe recipe(String command) {
            return recipe(out, "models/fashion-flow", steps, batch, lr, warmup, ema, command);
        }

        private FlowRecipe.Tuning tuning() {
            return new FlowRecipe.Tuning(labelDropout, init);
        }

        @Override
        void packageCheckpoint(Recipe r, Path dir) throws Exception {
            FlowRecipe.packageCheckpoint(r, dir);
        }

        @Override
        Trainer.Result train(Recipe r, Trainer.Listener l, CancellationToken c) throws Exception {
            return FlowRecipe.run(r, tuning(), l, c);
        }
    }

    @Command(name = "mar", mixinStandardHelpOptions = true,
            description = "Tiny MAR (49 tokens of 4x4 patches, flow-matching head) on Fashion-MNIST, for DiSA.")
    static final class Mar extends PackagingBase {
        @Option(names = "--out", description = "package folder (default models/fashion-mar)")
        Path out;

        @Option(names = "--steps", defaultValue = "20000", description = "training steps (default ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--batch", defaultValue = "64", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--lr", defaultValue = "8e-4", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--warmup", defaultValue = "500", description = "warm-up steps (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--ema", defaultValue = "0.999", description = "nominal EMA decay (default ${DEFAULT-VALUE})")
        double ema;

        @Option(names = "--diffusion-mul", defaultValue = "4",
                description = "head rows per masked token, each with its own time and noise (default ${DEFAULT-VALUE})")
        int mul;

        @Override
        Recipe recipe(String command) {
            return recipe(out, "models/fashion-mar", steps, batch, lr, warmup, ema, command);
        }

        @Override
        void packageCheckpoint(Recipe r, Path dir) throws Exception {
            org.flowbench.engine.train.MarRecipe.packageCheckpoint(r, mul, dir);
        }

        @Override
        Trainer.Result train(Recipe r, Trainer.Listener l, CancellationToken c) throws Exception {
            return org.flowbench.engine.train.MarRecipe.run(r, mul, l, c);
        }
    }

    @Command(name = "classifier", mixinStandardHelpOptions = true, description = "Classifier CNN on Fashion-MNIST.")
    static final class Classifier extends Base {
        @Option(names = "--out", description = "package folder (default models/NAME)")
        Path out;

        @Option(names = "--steps", defaultValue = "1900", description = "training steps (default ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--batch", defaultValue = "128", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--warmup", defaultValue = "100", description = "warm-up steps (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--ema", defaultValue = "0.998", description = "nominal EMA decay (default ${DEFAULT-VALUE})")
        double ema;

        @Option(names = "--name", defaultValue = "fashion-classifier",
                description = "package name (default ${DEFAULT-VALUE}; the held-out judge is fashion-judge)")
        String name;

        @CommandLine.Mixin
        ClassifierShapeOptions shape = new ClassifierShapeOptions();

        @Override
        Recipe recipe(String command) {
            return recipe(out, "models/" + name, steps, batch, lr, warmup, ema, command);
        }

        @Override
        Trainer.Result train(Recipe r, Trainer.Listener l, CancellationToken c) throws Exception {
            return ClassifierRecipe.run(r, name, shape.shape(new int[] {32, 64}, 128), l, c);
        }
    }

    @Command(name = "reference-stats", mixinStandardHelpOptions = true,
            description = "Fashion-MNIST test statistics in the classifier's feature space, into its package.")
    static final class RefStats implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--classifier", description = "classifier package folder (default models/fashion-classifier)")
        Path classifier;

        @Option(names = "--data", description = "Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)")
        Path data;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            Path dir = classifier != null ? classifier : Base.home().resolve("models/fashion-classifier");
            Path out = org.flowbench.engine.train.ReferenceStatistics.write(dir, data);
            spec.commandLine().getOut().printf("wrote %s%n", out);
            return 0;
        }
    }

    @Command(name = "contact-sheet", mixinStandardHelpOptions = true,
            description = "Model card figure: a PNG grid with one row of samples per class, and the share of samples "
                    + "the built-in classifier assigns to the prompted class.")
    static final class ContactSheet implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", defaultValue = "builtin:fashion-flow", description = "model (default ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--sampler", defaultValue = "heun", description = "sampler id (default ${DEFAULT-VALUE})")
        String sampler;

        @Option(names = "--steps", defaultValue = "25", description = "sampler steps (default ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a sampler parameter (repeatable), e.g. "
                + "--sampler disa --param schedule=linear --param cfg=3")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--per-class", defaultValue = "10", description = "samples per class (default ${DEFAULT-VALUE})")
        int perClass;

        @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--out", required = true, description = "output .png")
        Path out;

        @Option(names = "--compare", description = "a second model sampled from the same noises: per class a row of "
                + "--model, then a row of this one for each --compare-steps")
        String compare;

        @Option(names = "--compare-sampler", defaultValue = "euler", description = "sampler of --compare (default ${DEFAULT-VALUE})")
        String compareSampler;

        @Option(names = "--compare-steps", split = ",", paramLabel = "STEPS", description = "steps of --compare; "
                + "several (e.g. 1,2,4) give a row each (default 1)")
        List<Integer> compareSteps;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            try (FlowModel m = Models.open(model)) {
                int classes = m.classNames().size();
                if (classes == 0) {
                    throw new org.flowbench.engine.FlowbenchException("model " + model + " has no classes");
                }
                int n = classes * perClass;
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = i / perClass;
                }
                Map<String, String> sp = new LinkedHashMap<>();
                if (SamplerRegistry.get(sampler).params().stream().anyMatch(x -> x.name().equals("steps"))) {
                    sp.put("steps", Integer.toString(steps));
                }
                sp.putAll(params);
                // one request (seed, image indices, labels) for every row: image i starts from the same noise in each
                SamplingRequest request = new SamplingRequest(seed, 0, n, Math.min(n, 64), labels, 0);
                long t0 = System.nanoTime();
                SampleBatch b = SamplerRegistry.create(sampler, sp).sample(request, m, ProgressListener.NONE,
                        CancellationToken.NONE);
                double wall = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> recipe = new LinkedHashMap<>(b.manifest().entries());
                recipe.put("rows", m.classNames());
                List<double[]> blocks = new ArrayList<>(List.of(b.samples()));
                List<String> names = new ArrayList<>(List.of(sampler + " " + steps));
                if (compare != null) {
                    List<Integer> compared = compareSteps == null || compareSteps.isEmpty() ? List.of(1) : compareSteps;
                    StringBuilder rows = new StringBuilder("per class: " + model + " (" + sampler + " " + steps
                            + " steps)");
                    try (FlowModel m2 = Models.open(compare)) {
                        for (int k : compared) {
                            blocks.add(SamplerRegistry.create(compareSampler, Map.of("steps", Integer.toString(k)))
                                    .sample(request, m2, ProgressListener.NONE, CancellationToken.NONE).samples());
                            names.add(compareSampler + " " + k);
                            rows.append(", then ").append(compare).append(" (").append(compareSampler).append(' ')
                                    .append(k).append(k == 1 ? " step)" : " steps)");
                        }
                    }
                    recipe.put("rows", rows.append("; same noises").toString());
                    recipe.put("classNames", m.classNames());
                }
                String agree = "";
                Path cls = PackageResolver.modelsDir() == null ? null
                        : PackageResolver.modelsDir().resolve("fashion-classifier");
                if (cls != null && ModelPackage.isPackage(cls)) {
                    try (ClassifierModel c = ClassifierModel.open(ModelPackage.open(cls))) {
                        List<String> parts = new ArrayList<>();
                        for (int k = 0; k < blocks.size(); k++) {
                            int[] pred = c.predict(blocks.get(k), n);
                            int ok = 0;
                            for (int i = 0; i < n; i++) {
                                ok += pred[i] == labels[i] ? 1 : 0;
                            }
                            parts.add(String.format(Locale.ROOT, "%d/%d (%s)", ok, n, blocks.size() > 1 ? names.get(k)
                                    : String.format(Locale.ROOT, "%.1f %%", 100.0 * ok / n)));
                            if (k == 0) {
                                recipe.put("classifiedAsPrompted", ok / (double) n);
                            }
                        }
                        agree = "; classified as the prompted class: " + String.join(", ", parts);
                    }
                }
                int[] sh = m.shape();
                Png.writeGrid(out, interleaveByClass(blocks, classes, perClass * m.dim()), blocks.size() * n, sh[1],
                        sh[2], perClass, PngRecipe.text(recipe, sh), PngRecipe.UTF8_KEYS);
                spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d samples, %.1f s)%s%n", out, n,
                        wall, agree);
            }
            return 0;
        }

        /** Class c's row of each block in turn: blocks[0] class 0, blocks[1] class 0, ..., blocks[0] class 1, ... */
        static double[] interleaveByClass(List<double[]> blocks, int classes, int rowLength) {
            double[] grid = new double[blocks.size() * classes * rowLength];
            int at = 0;
            for (int c = 0; c < classes; c++) {
                for (double[] block : blocks) {
                    System.arraycopy(block, c * rowLength, grid, at, rowLength);
                    at += rowLength;
                }
            }
            return grid;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Model card metrics of a class-conditional image flow: n samples with prompts spread over the "
                    + "classes, share classified as the prompted class by the built-in classifier, and domain FID against "
                    + "the shipped Fashion-MNIST test statistics (samples quantised to 8 bits like the test images).")
    static final class Evaluate implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", defaultValue = "builtin:fashion-flow", description = "model (default ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--run", required = true,
                description = "SAMPLER:STEPS[:NAME=VALUE,...] to evaluate, e.g. heun:50, euler:1, rk45:0, "
                        + "disa:0:schedule=linear,upper=50,lower=5,ar-steps=16 (repeatable)")
        List<String> runs;

        @Option(names = "--n", defaultValue = "10000", description = "samples per run (default ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--batch", defaultValue = "64", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--seed", defaultValue = "0",
                description = "seed (default ${DEFAULT-VALUE}); repeat it to see the seed-to-seed spread (mean ± sd)")
        List<Long> seeds;

        @Option(names = "--json", description = "append one JSON line per run and seed to this file")
        Path json;

        @Option(names = "--prompt", defaultValue = "all", description = "prompts: all (every class in turn, the "
                + "default), a class, a comma-separated list, or empty for unconditional")
        String prompt;

        /** One run's figures: n samples of one sampler configuration from one seed. */
        /** One run and seed; {@code classes} counts the samples the classifier puts in each class. */
        record Row(double classified, double fid, double nfePerImage, double wallSeconds, Map<String, Double> cost,
                   int[] classes) {
            /** Total-variation distance of the classified classes from an even spread over all classes. */
            double classImbalance() {
                long n = java.util.Arrays.stream(classes).asLongStream().sum();
                double tv = 0;
                for (int k : classes) {
                    tv += Math.abs(k / (double) n - 1.0 / classes.length);
                }
                return tv / 2;
            }
        }

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            Path cls = PackageResolver.builtinDir("fashion-classifier");
            ReferenceStats ref = ReferenceStats.read(cls.resolve(ReferenceStatistics.FILE));
            PrintWriter out = spec.commandLine().getOut();
            try (FlowModel m = Models.open(model); ClassifierModel c = ClassifierModel.open(ModelPackage.open(cls))) {
                PromptSet prompts = PromptSet.parse(m.classNames().isEmpty() ? "" : prompt, m);
                for (String r : runs) {
                    List<Row> rows = new ArrayList<>();
                    for (long seed : seeds) {
                        Row row = evaluate(m, c, ref, r, seed, prompts);
                        rows.add(row);
                        Map<String, Object> j = new LinkedHashMap<>();
                        j.put("model", model);
                        j.put("modelHash", m.hash());
                        j.put("run", r);
                        j.put("n", n);
                        j.put("seed", seed);
                        j.put("prompts", prompts.description());
                        j.put("nfePerImage", row.nfePerImage());
                        j.put("cost", row.cost()); // per image, every counter (DiSA: backbone and head)
                        j.put("classifiedAsPrompted", row.classified());
                        // what the classifier makes of the samples: class balance moves a classifier-feature FID
                        j.put("classifiedAs", row.classes());
                        j.put("classImbalanceTv", row.classImbalance());
                        j.put("fid", row.fid());
                        j.put("wallSeconds", row.wallSeconds()); // sampling only, not the classifier and FID
                        String line = Json.COMPACT.writeValueAsString(j);
                        out.println(line);
                        out.flush();
                        if (json != null) {
                            appendLine(json, line);
                        }
                    }
                    if (rows.size() > 1) {
                        out.printf(Locale.ROOT, "%s over %d seeds: FID %.3f ± %.3f, classified as prompted %.2f ± %.2f %%%n",
                                r, rows.size(), mean(rows, Row::fid), sd(rows, Row::fid),
                                100 * mean(rows, Row::classified), 100 * sd(rows, Row::classified));
                    }
                }
            }
            return 0;
        }

        /** n samples of run r from one seed; "classified as prompted" is NaN for an unconditional run. */
        private Row evaluate(FlowModel m, ClassifierModel c, ReferenceStats ref, String r, long seed,
                             PromptSet prompts) {
            int[] labels = prompts.labels(0, n);
            String[] sp = r.split(":", 3);
            Map<String, String> params = new LinkedHashMap<>();
            if (sp.length > 1 && !sp[1].equals("0")) {
                params.put("steps", sp[1]);
            }
            if (sp.length > 2) {
                // a comma starts a new parameter only before NAME=, so that values may hold commas (times=0,0.3,1)
                for (String kv : sp[2].split(",(?=[A-Za-z][A-Za-z0-9_-]*=)")) {
                    String[] e = kv.split("=", 2);
                    if (e.length != 2) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                                "--run " + r + ": parameters are NAME=VALUE separated by commas");
                    }
                    params.put(e[0].trim(), e[1].trim());
                }
            }
            Sampler s = SamplerRegistry.create(sp[0], params);
            long t0 = System.nanoTime();
            // made at the first finished batch, so that its rate and time left leave out any preparation
            ProgressReport[] report = {null};
            int[] finished = {0};
            Map<String, ProgressReport> preparations = new LinkedHashMap<>();
            ProgressListener progress = new ProgressListener() {
                @Override
                public void batchDone(SampleBatch done) {
                    finished[0] += done.count();
                    if (report[0] == null) {
                        report[0] = ProgressReport.on(spec.commandLine().getErr(), r + " seed " + seed, "images");
                    }
                    report[0].update(finished[0], n);
                }

                @Override
                public void progress(long done, long total, String what) {
                    // a sampler's one-time preparation (e.g. BOSS's cost matrix) gets a line of its own
                    if (!what.equals("steps") && !what.equals("images")) {
                        preparations.computeIfAbsent(what, w -> ProgressReport.on(spec.commandLine().getErr(),
                                r + " seed " + seed + ": " + w, "")).update(done, total);
                    }
                }
            };
            SampleBatch b = s.sample(SamplingRequest.conditioned(seed, 0, n, batch, prompts.cycle(), 0), m, progress,
                    CancellationToken.NONE);
            double wall = (System.nanoTime() - t0) / 1e9;
            double[] x = Quantisation.applied(ref.identity().quantisation(), b.samples(), b.samples().length);
            GaussianStats g = new GaussianStats(c.dim());
            int d = m.dim();
            int ok = 0;
            int[] classes = new int[c.classNames().size()];
            for (int i0 = 0; i0 < n; i0 += 500) {
                int k = Math.min(500, n - i0);
                double[] xi = java.util.Arrays.copyOfRange(x, i0 * d, (i0 + k) * d);
                double[] f = new double[k * c.dim()];
                c.features(xi, k, f);
                g.addBatch(f, k);
                int[] pred = c.predict(xi, k);
                for (int i = 0; i < k; i++) {
                    ok += pred[i] == labels[i0 + i] ? 1 : 0;
                    classes[pred[i]]++;
                }
            }
            ReferenceStats mine = new ReferenceStats(
                    ReferenceStats.Identity.of(model, r, c, ref.identity().quantisation()), g);
            long nfe = 0;
            for (long v : b.nfe()) {
                nfe += v;
            }
            return new Row(prompts.unconditional() ? Double.NaN : ok / (double) n, mine.fid(ref), nfe / (double) n,
                    wall, b.cost().perImage(), classes);
        }

        /** Appends a line by rewriting the file atomically, so an interrupted run never leaves half a line. */
        static void appendLine(Path file, String line) throws java.io.IOException {
            String before = Files.exists(file) ? Files.readString(file) : "";
            if (!before.isEmpty() && !before.endsWith("\n")) {
                before += "\n";
            }
            AtomicFiles.write(file, (before + line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
            return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
        }

        /** Sample standard deviation (n − 1). */
        private static double sd(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
            double mu = mean(rows, f);
            double ss = rows.stream().mapToDouble(f).map(v -> (v - mu) * (v - mu)).sum();
            return Math.sqrt(ss / (rows.size() - 1));
        }
    }
}
