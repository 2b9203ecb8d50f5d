package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.MiniNitro;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench train nitro ...}: NitroFusion's adversarial training against a dynamic pool of heads. */
@Command(name = "nitro", mixinStandardHelpOptions = true,
        description = "NitroFusion: one-step generators trained against a dynamic pool of discriminator heads.",
        subcommands = {TrainNitroCommand.Toy.class, TrainNitroCommand.Student.class})
final class TrainNitroCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The 2-D study (method reference §6.4 N2): pool + refresh against one fixed head. */
    @Command(name = "toy", mixinStandardHelpOptions = true,
            description = "Mini-Nitro on a 2-D analytic target: FD and modes over training, per arm.")
    static final class Toy implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--target", defaultValue = "builtin:8ring", description = "2-D analytic target")
        String target;

        @Option(names = "--steps", defaultValue = "3000", description = "training steps per arm")
        long steps;

        @Option(names = "--seed", defaultValue = "0", description = "seed")
        long seed;

        @Option(names = "--arm", split = ",", defaultValue = "pool,single",
                description = "pool (4 groups × 32 heads, 8 per step, 1 %% refresh), pool-static (no refresh), "
                        + "single (one fixed head)")
        List<String> arms;

        @Option(names = "--json", description = "append one JSON line per arm (its curve) to this file")
        Path json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            CancellationToken cancel = new CancellationToken();
            try (FlowModel m = Models.open(target);
                 AutoCloseable hook = TrainSlimFlowCommand.cancelOnShutdown(cancel)) {
                KnownDistribution k = m.as(KnownDistribution.class).orElseThrow(() -> new FlowbenchException(
                        target + " is not an analytic target", "use builtin:8ring or builtin:2modes"));
                for (String arm : arms) {
                    MiniNitro.Settings s = switch (arm) {
                        case "pool" -> MiniNitro.Settings.pool(steps, seed);
                        case "pool-static" -> {
                            MiniNitro.Settings p = MiniNitro.Settings.pool(steps, seed);
                            yield new MiniNitro.Settings(p.steps(), p.batch(), p.groups(), p.headsPerGroup(),
                                    p.headsPerStep(), 0, p.lr(), p.hidden(), p.seed(), p.evalEvery(), p.evalSamples());
                        }
                        case "single" -> MiniNitro.Settings.singleHead(steps, seed);
                        default -> throw new FlowbenchException("unknown arm '" + arm + "'",
                                "use pool, pool-static or single");
                    };
                    List<MiniNitro.Point> curve = MiniNitro.run(k, s, p -> {
                        out.printf(Locale.ROOT, "%s step %d: FD %.4f, modes %d/%d, D accuracy %.3f, %.0f s%n", arm,
                                p.step(), p.fd(), p.modesCovered(), k.components(), p.discriminatorAccuracy(),
                                p.seconds());
                        out.flush();
                    }, cancel);
                    if (json != null) {
                        Map<String, Object> j = new LinkedHashMap<>();
                        j.put("arm", arm);
                        j.put("target", target);
                        j.put("seed", seed);
                        j.put("settings", MiniNitro.describe(s));
                        j.put("curve", curve);
                        TrainCommand.Evaluate.appendLine(json, Json.COMPACT.writeValueAsString(j));
                    }
                }
            }
            return 0;
        }
    }

    /** The image student: pool of heads on the frozen teacher, resumable. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a NitroFusion student of a flow package against a dynamic head pool (resumable).")
    static final class Student implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--pairs", required = true, description = "teacher pair store (flowbench train slimflow pairs)")
        Path pairs;

        @Option(names = "--teacher", defaultValue = "builtin:fashion-flow", description = "teacher package")
        String teacher;

        @Option(names = "--out", required = true, description = "folder: checkpoint, then the package")
        Path out;

        @Option(names = "--steps", defaultValue = "20000", description = "training steps (default ${DEFAULT-VALUE})")
        long steps;

        @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--groups", defaultValue = "4", description = "noise-level groups of heads")
        int groups;

        @Option(names = "--heads", defaultValue = "32", description = "heads per group (default ${DEFAULT-VALUE})")
        int heads;

        @Option(names = "--per-step", defaultValue = "8", description = "heads trained per step")
        int perStep;

        @Option(names = "--refresh", defaultValue = "0.01", description = "share of the pool re-initialised per step "
                + "(0 = static)")
        double refresh;

        @Option(names = "--no-local", description = "global heads only")
        boolean noLocal;

        @Option(names = "--no-conditional", description = "unconditional heads only")
        boolean noConditional;

        @Option(names = "--shift", defaultValue = "250", description = "timestep shift (default ${DEFAULT-VALUE})")
        int shift;

        @Option(names = "--lr", defaultValue = "1e-4", description = "student learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--head-lr", defaultValue = "1e-4", description = "head learning rate")
        double headLr;

        @Option(names = "--regression", defaultValue = "1.0", description = "weight of the L2 regression onto the "
                + "teacher's samples (ours; 0 = purely adversarial)")
        double regression;

        @Option(names = "--seed", defaultValue = "0", description = "seed")
        long seed;

        @Option(names = "--resume", description = "continue from OUT/checkpoint.safetensors")
        boolean resume;

        @Option(names = "--checkpoint-every", defaultValue = "300", description = "seconds between checkpoints")
        double checkpointSeconds;

        @Option(names = "--log-every", defaultValue = "50", description = "steps between progress lines")
        int logEvery;

        @Override
        public Integer call() throws Exception {
            deviceOption.apply();
            String command = "flowbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs())
                    .replace(" --resume", "");
            java.nio.file.Path dir = org.flowbench.engine.model.pkg.PackageResolver.packageDir(teacher);
            if (dir == null) {
                throw new FlowbenchException("teacher " + teacher + " is not a model package");
            }
            org.flowbench.engine.model.pkg.ModelPackage tp = org.flowbench.engine.model.pkg.ModelPackage.open(dir);
            org.flowbench.engine.train.NitroTraining.Settings s = new org.flowbench.engine.train.NitroTraining.Settings(
                    batch, groups, heads, perStep, refresh, !noLocal, !noConditional, shift, lr, headLr, 0.999,
                    regression);
            CancellationToken cancel = new CancellationToken();
            PrintWriter err = spec.commandLine().getErr();
            org.flowbench.engine.train.Trainer.Result r;
            try (AutoCloseable lock = org.flowbench.app.project.OutputFolder.lock(out, command);
                 AutoCloseable hook = TrainSlimFlowCommand.cancelOnShutdown(cancel)) {
                r = org.flowbench.samplers.onestep.Nitro.train(pairs, tp,
                        new org.flowbench.samplers.onestep.Nitro.Run(steps, seed, s), out, resume, checkpointSeconds,
                        command, p -> {
                            if (p.step() % logEvery == 0 || p.step() == p.steps()) {
                                err.printf(Locale.ROOT, "step %d/%d D loss %.4f G loss %.4f D accuracy %.3f "
                                                + "%.3f s/step ETA %s%n", p.step(), p.steps(),
                                        p.log().discriminatorLoss(), p.log().generatorLoss(), p.log().accuracy(),
                                        p.secondsPerStep(), TrainCommand.Base.eta(p.secondsPerStep()
                                                * (p.steps() - p.step())));
                                err.flush();
                            }
                        }, cancel);
            }
            spec.commandLine().getOut().printf("%s at step %d (%.0f s); %s%n", r.finished() ? "finished" : "stopped",
                    r.step(), r.seconds(), r.finished() ? "package written to " + out : "resume with --resume");
            return 0;
        }
    }
}
