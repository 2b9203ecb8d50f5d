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
        subcommands = {TrainNitroCommand.Toy.class})
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
                description = "pool (4 groups × 32 heads, 8 per step, 1 % refresh), pool-static (no refresh), "
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
}
