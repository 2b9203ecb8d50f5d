package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.samplers.onestep.AnnealingReflow;
import org.flowbench.samplers.onestep.SlimFlow;
import org.flowbench.samplers.onestep.TeacherPairs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowbench train slimflow pairs|reflow|distill}: SlimFlow's three stages, each resumable. Pairs are the
 * teacher's ODE solutions from fixed noises; reflow trains a small student from scratch on them with an annealed
 * coupling; distill turns that student into a one-step generator with flow guidance.
 */
@Command(name = "slimflow", mixinStandardHelpOptions = true,
        description = "SlimFlow: a small one-step student by annealing reflow and flow-guided distillation.",
        subcommands = {TrainSlimFlowCommand.Pairs.class, TrainSlimFlowCommand.Reflow.class,
                TrainSlimFlowCommand.Distill.class, TrainSlimFlowCommand.Toy.class,
                TrainSlimFlowCommand.Speed.class})
public final class TrainSlimFlowCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Cancels {@code cancel} on Ctrl+C / SIGTERM and waits (up to 2 minutes) until the work has stopped cleanly. */
    static AutoCloseable cancelOnShutdown(CancellationToken cancel) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                done.await(120, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down
            }
        };
    }

    @Command(name = "pairs", mixinStandardHelpOptions = true,
            description = "Teacher pairs (z, x1 = teacher ODE solution from z), resumable in chunks.")
    static final class Pairs implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--teacher", defaultValue = "builtin:fashion-flow", description = "teacher model (default ${DEFAULT-VALUE})")
        String teacher;

        @Option(names = "--n", defaultValue = "30000", description = "number of pairs (default ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--solver", defaultValue = "heun", description = "heun or rk45 (default ${DEFAULT-VALUE})")
        String solver;

        @Option(names = "--steps", defaultValue = "20", description = "Heun steps (default ${DEFAULT-VALUE}; rk45 is adaptive)")
        int steps;

        @Option(names = "--seed", defaultValue = "0", description = "noise seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--batch", defaultValue = "64", description = "batch (default ${DEFAULT-VALUE}; results do not depend on it)")
        int batch;

        @Option(names = "--chunk", defaultValue = "1024", description = "pairs per resumable chunk (default ${DEFAULT-VALUE})")
        int chunk;

        @Option(names = "--flip-check", defaultValue = "128", description = "noises for the flip-equivariance check (0: none; default ${DEFAULT-VALUE})")
        int flipCheck;

        @Option(names = "--out", required = true, description = "folder of the pair set; running the same command again resumes")
        Path out;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter o = spec.commandLine().getOut();
            String command = "flowbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            CancellationToken cancel = new CancellationToken();
            try (AutoCloseable lock = org.flowbench.app.project.OutputFolder.lock(out, command);
                 FlowModel m = Models.open(teacher); AutoCloseable hook = cancelOnShutdown(cancel)) {
                TeacherPairs.Settings s = new TeacherPairs.Settings(teacher, m.hash(), n, solver, steps, seed, chunk);
                long[] last = {0};
                boolean complete = TeacherPairs.generate(m, s, batch, out, command, (done, total, before, sec) -> {
                    long now = System.nanoTime();
                    if (now - last[0] > 20e9 || done == total) {
                        last[0] = now;
                        double rate = (done - before) / Math.max(sec, 1e-9);
                        err.printf(Locale.ROOT, "pairs %d/%d, %.1f pairs/s, ETA %s%n", done, total, rate,
                                TrainCommand.Base.eta((total - done) / rate));
                        err.flush();
                    }
                }, cancel);
                if (!complete) {
                    o.println("stopped; finished chunks are kept in " + out + ": run the same command to resume");
                    return 0;
                }
                if (flipCheck > 0 && !TeacherPairs.load(out).manifest().containsKey("flipCheck")) {
                    java.util.Map<String, Object> f = TeacherPairs.flipCheck(m, flipCheck, 20, seed);
                    TeacherPairs.annotate(out, "flipCheck", f);
                    o.printf(Locale.ROOT, "flip check: E|Φ(z) − flip Φ(flip z)|² = %.4f vs %.4f between unrelated "
                            + "samples (relative %.3f)%n", (Double) f.get("meanSquaredGap"),
                            (Double) f.get("meanSquaredSpread"), (Double) f.get("relativeGap"));
                }
                o.println(n + " pairs in " + out);
            }
            return 0;
        }
    }

    /** Options both training stages share. */
    abstract static class Stage implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--teacher", defaultValue = "builtin:fashion-flow", description = "teacher package (default ${DEFAULT-VALUE})")
        String teacher;

        @Option(names = "--pairs", required = true, description = "teacher pair set (flowbench train slimflow pairs)")
        Path pairs;

        @Option(names = "--out", required = true, description = "stage folder: checkpoint, then the package")
        Path out;

        @Option(names = "--steps", required = true, description = "training steps")
        long steps;

        @Option(names = "--batch", defaultValue = "64", description = "batch (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--resume", description = "continue from OUT/checkpoint.safetensors")
        boolean resume;

        @Option(names = "--checkpoint-every", defaultValue = "300", description = "seconds between checkpoints (default ${DEFAULT-VALUE})")
        double checkpointSeconds;

        @Option(names = "--log-every", defaultValue = "100", description = "steps between progress lines (default ${DEFAULT-VALUE})")
        int logEvery;

        @Option(names = "--export", description = "write the package of the current checkpoint (EMA) to this folder and exit")
        Path export;

        abstract org.flowbench.engine.train.Trainer.Result train(TeacherPairs.Pairs p,
                org.flowbench.engine.model.pkg.ModelPackage t, String command,
                org.flowbench.engine.train.Trainer.Listener l, CancellationToken c) throws Exception;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter o = spec.commandLine().getOut();
            org.flowbench.engine.model.pkg.ModelPackage t = org.flowbench.engine.model.pkg.ModelPackage.open(
                    org.flowbench.engine.model.pkg.PackageResolver.packageDir(teacher));
            if (export != null) {
                org.flowbench.samplers.onestep.SlimFlow.exportCheckpoint(out, t, export);
                o.println("package of " + out.resolve(org.flowbench.samplers.onestep.SlimFlow.CHECKPOINT)
                        + " written to " + export);
                return 0;
            }
            String command = "flowbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs())
                    .replace(" --resume", "");
            TeacherPairs.Pairs p = TeacherPairs.load(pairs);
            CancellationToken cancel = new CancellationToken();
            org.flowbench.engine.train.Trainer.Listener l = pr -> {
                if (pr.step() % logEvery == 0 || pr.step() == pr.totalSteps() || pr.skippedThisStep()) {
                    err.printf(Locale.ROOT, "step %d/%d loss %.5f |g| %.3f lr %.2e %s skipped %d %.3f s/step ETA %s%n",
                            pr.step(), pr.totalSteps(), pr.loss(), pr.gradNorm(), pr.lr(), extra(pr.step()),
                            pr.skipped(), pr.secondsPerStep(), TrainCommand.Base.eta(pr.etaSeconds()));
                    err.flush();
                }
            };
            org.flowbench.engine.train.Trainer.Result r;
            try (AutoCloseable lock = org.flowbench.app.project.OutputFolder.lock(out, command);
                 AutoCloseable hook = cancelOnShutdown(cancel)) {
                r = train(p, t, command, l, cancel);
            }
            o.printf(Locale.ROOT, "%s at step %d (skipped %d, last loss %.5f, %.0f s); %s%n",
                    r.finished() ? "finished" : "stopped", r.step(), r.skipped(), r.lastLoss(), r.seconds(),
                    r.finished() ? "package written to " + out : "continue with --resume");
            return 0;
        }

        /** Stage-specific state for progress lines. */
        String extra(long step) {
            return "";
        }
    }

    @Command(name = "reflow", mixinStandardHelpOptions = true,
            description = "Annealing reflow: a small student from scratch on teacher pairs (SlimFlow stage 2).")
    static final class Reflow extends Stage {
        @Option(names = "--beta", defaultValue = "linear:6000", description = "β schedule linear:K, exp:K, cos:K or fix:B "
                + "(fix:0 = plain reflow; default ${DEFAULT-VALUE})")
        String beta;

        @Option(names = "--hflip", defaultValue = "off", description = "mirror pairs with probability ½ per batch: off, all, "
                + "or the classes to mirror (names or indices, 'unconditional'; default ${DEFAULT-VALUE})")
        String hflip;

        @Option(names = "--epsilon", defaultValue = "1e-3", description = "t ~ U(ε, 1) (default ${DEFAULT-VALUE})")
        double epsilon;

        @Option(names = "--channels", defaultValue = "8,24,32", split = ",", description = "student UNet channels per level (default ${DEFAULT-VALUE})")
        int[] channels;

        @Option(names = "--emb", defaultValue = "48", description = "student embedding width (default ${DEFAULT-VALUE})")
        int emb;

        @Option(names = "--lr", defaultValue = "5e-4", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--warmup", defaultValue = "500", description = "warm-up steps (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--ema", defaultValue = "0.9999", description = "nominal EMA decay (default ${DEFAULT-VALUE})")
        double ema;

        @Option(names = "--init", paramLabel = "DIR", description = "start from the EMA weights of another reflow "
                + "stage's folder (e.g. a 1-RF student trained with --beta fix:1) instead of from scratch")
        Path init;

        private AnnealingReflow.Beta schedule;

        @Override
        org.flowbench.engine.train.Trainer.Result train(TeacherPairs.Pairs p, org.flowbench.engine.model.pkg.ModelPackage t,
                String command, org.flowbench.engine.train.Trainer.Listener l, CancellationToken c) throws Exception {
            if (channels.length != 3) {
                throw new org.flowbench.engine.FlowbenchException("--channels needs three values, e.g. 8,24,32");
            }
            schedule = AnnealingReflow.Beta.parse(beta);
            AnnealingReflow.Flip flip = AnnealingReflow.Flip.parse(hflip, t.classNames());
            SlimFlow.ReflowSettings s = new SlimFlow.ReflowSettings(schedule, flip, epsilon, channels, emb, steps,
                    batch, lr, warmup, ema, seed, init);
            return SlimFlow.reflow(p, t, s, out, command, checkpointSeconds, resume, l, c);
        }

        @Override
        String extra(long step) {
            return schedule == null ? "" : AnnealingReflow.describe(schedule, step);
        }
    }

    @Command(name = "distill", mixinStandardHelpOptions = true,
            description = "Flow-guided distillation of a reflow student into a one-step generator (SlimFlow stage 3).")
    static final class Distill extends Stage {
        @Option(names = "--from", required = true, description = "the reflow stage's folder (its checkpoint)")
        Path from;

        @Option(names = "--distance", defaultValue = "perceptual", description = "perceptual (classifier feature maps + "
                + "L2) or l2 (default ${DEFAULT-VALUE})")
        String distance;

        @Option(names = "--classifier", defaultValue = "builtin:fashion-classifier", description = "network of the "
                + "perceptual distance (default ${DEFAULT-VALUE})")
        String classifier;

        @Option(names = "--l2-weight", defaultValue = "1", description = "weight of the pixel L2 in the perceptual "
                + "distance (default ${DEFAULT-VALUE})")
        double l2Weight;

        @Option(names = "--guidance", defaultValue = "1", description = "weight of the flow-guidance term (0: plain "
                + "distillation; default ${DEFAULT-VALUE})")
        double guidance;

        @Option(names = "--epsilon", defaultValue = "0", description = "student time input ε (default ${DEFAULT-VALUE}: "
                + "the one-step Euler sample evaluates v(z, 0))")
        double epsilon;

        @Option(names = "--t-guide", defaultValue = "0.2,0.8", split = ",", description = "t' range of the guidance "
                + "term (default ${DEFAULT-VALUE})")
        double[] tGuide;

        @Option(names = "--lr", defaultValue = "2e-4", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--warmup", defaultValue = "0", description = "warm-up steps (default ${DEFAULT-VALUE}: "
                + "fine-tuning)")
        int warmup;

        @Option(names = "--ema", defaultValue = "0.9999", description = "nominal EMA decay (default ${DEFAULT-VALUE})")
        double ema;

        @Override
        org.flowbench.engine.train.Trainer.Result train(TeacherPairs.Pairs p, org.flowbench.engine.model.pkg.ModelPackage t,
                String command, org.flowbench.engine.train.Trainer.Listener l, CancellationToken c) throws Exception {
            if (tGuide.length != 2) {
                throw new org.flowbench.engine.FlowbenchException("--t-guide needs two values, e.g. 0.2,0.8");
            }
            SlimFlow.DistillSettings s = new SlimFlow.DistillSettings(distance, l2Weight, guidance, epsilon, tGuide[0],
                    tGuide[1], steps, batch, lr, warmup, ema, seed);
            org.flowbench.engine.model.pkg.ModelPackage cls = distance.equals("perceptual")
                    ? org.flowbench.engine.model.pkg.ModelPackage.open(
                            org.flowbench.engine.model.pkg.PackageResolver.packageDir(classifier)) : null;
            return SlimFlow.distill(p, t, from, cls, s, out, command, checkpointSeconds, resume, l, c);
        }
    }

    @Command(name = "toy", mixinStandardHelpOptions = true,
            description = "SlimFlow's exploratory arms on an exact 2-D mixture: reflow from scratch (β ≡ 0), annealed, "
                    + "initialised from 1-RF; plain vs flow-guided distillation of a narrower student.")
    static final class Toy implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--target", defaultValue = "builtin:8ring", description = "analytic rectified-flow mixture (default ${DEFAULT-VALUE})")
        String target;

        @Option(names = "--pairs", defaultValue = "4000", description = "exact 1-RF pairs (default ${DEFAULT-VALUE})")
        int pairs;

        @Option(names = "--steps", defaultValue = "3000", description = "training steps of every arm (default ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--batch", defaultValue = "256", description = "batch (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--hidden", defaultValue = "64", description = "hidden width of the reflow students (default ${DEFAULT-VALUE})")
        int hidden;

        @Option(names = "--narrow", defaultValue = "32", description = "hidden width of the one-step students (default ${DEFAULT-VALUE})")
        int narrow;

        @Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s: %d exact 1-RF pairs, %d steps × batch %d per arm, MLP students (hidden %d; one-step "
                    + "%d)%n", target, pairs, steps, batch, hidden, narrow);
            o.println("| arm | straightness S | one-step FD | seconds |");
            o.println("|---|---|---|---|");
            o.flush();
            try (FlowModel m = Models.open(target)) {
                org.flowbench.samplers.onestep.ToyExperiment.run(m, new org.flowbench.samplers.onestep.ToyExperiment
                        .Settings(pairs, steps, batch, hidden, narrow, lr, seed), r -> {
                    o.printf(Locale.ROOT, "| %s | %s | %.4f | %.0f |%n", r.arm(),
                            Double.isNaN(r.straightness()) ? "—" : String.format(Locale.ROOT, "%.4f", r.straightness()),
                            r.oneStepFd(), r.seconds());
                    o.flush();
                });
            }
            return 0;
        }
    }

    @Command(name = "speed", mixinStandardHelpOptions = true,
            description = "Parameters and images/s of a one-step student against its teacher at several step counts, "
                    + "measured in one process (warm-up first, median of the repeats).")
    static final class Speed implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--student", required = true, description = "the one-step student package")
        String student;

        @Option(names = "--teacher", defaultValue = "builtin:fashion-flow", description = "teacher (default ${DEFAULT-VALUE})")
        String teacher;

        @Option(names = "--teacher-steps", defaultValue = "8,32", split = ",", description = "teacher Euler steps (default ${DEFAULT-VALUE})")
        int[] teacherSteps;

        @Option(names = "--n", defaultValue = "1024", description = "images per timing (default ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--batch", defaultValue = "64", description = "batch (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--repeats", defaultValue = "3", description = "timings per row (default ${DEFAULT-VALUE})")
        int repeats;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            PrintWriter o = spec.commandLine().getOut();
            long ps = parameters(student);
            long pt = parameters(teacher);
            o.printf(Locale.ROOT, "parameters: student %d, teacher %d (%.1f %%)%n", ps, pt, 100.0 * ps / pt);
            o.println("| model | sampler | NFE/image | images/s (median of " + repeats + ") | vs student |");
            o.println("|---|---|---|---|---|");
            double base = Double.NaN;
            try (FlowModel s = Models.open(student); FlowModel t = Models.open(teacher)) {
                base = rate(s, 1);
                o.printf(Locale.ROOT, "| %s | euler 1 | 1 | %.0f | 1.00 |%n", student, base);
                for (int k : teacherSteps) {
                    double r = rate(t, k);
                    o.printf(Locale.ROOT, "| %s | euler %d | %d | %.0f | %.3f |%n", teacher, k, k, r, r / base);
                }
            }
            return 0;
        }

        private static long parameters(String ref) {
            org.flowbench.engine.model.pkg.ModelPackage p = org.flowbench.engine.model.pkg.ModelPackage.open(
                    org.flowbench.engine.model.pkg.PackageResolver.packageDir(ref));
            long sum = 0;
            for (java.util.Map<String, Object> w : p.weights().values()) {
                sum += ((Number) w.get("parameters")).longValue();
            }
            return sum;
        }

        private double rate(FlowModel m, int steps) {
            org.flowbench.samplers.Sampler s = org.flowbench.samplers.SamplerRegistry.create("euler",
                    java.util.Map.of("steps", Integer.toString(steps), "grid", "uniform"));
            s.sample(org.flowbench.engine.run.SamplingRequest.of(99, Math.min(n, 2 * batch), batch), m,
                    org.flowbench.engine.run.ProgressListener.NONE, CancellationToken.NONE); // warm-up
            double[] r = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                s.sample(org.flowbench.engine.run.SamplingRequest.of(i, n, batch), m,
                        org.flowbench.engine.run.ProgressListener.NONE, CancellationToken.NONE);
                r[i] = n / ((System.nanoTime() - t0) / 1e9);
            }
            java.util.Arrays.sort(r);
            return r[repeats / 2];
        }
    }
}
