package org.flowbench.app.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.samplers.Configs;
import org.flowbench.samplers.boss.BossSampler;
import org.flowbench.samplers.boss.BossSchedule;
import org.flowbench.samplers.boss.BossStraighten;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench boss ...}: BOSS tools. */
@Command(name = "boss", mixinStandardHelpOptions = true, description = "BOSS: Bellman-optimal step schedules.",
        subcommands = {BossCommand.Schedule.class})
public final class BossCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code flowbench boss schedule --model M --steps K}: prints the Bellman times and the DP objective. */
    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = "Compute (or reuse from the cache) the Bellman-optimal K-step schedule of a model.")
    public static final class Schedule implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption deviceOption = new DeviceOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, description = "builtin:NAME, a model package folder, or a spec .json")
        String model;

        @Option(names = "--steps", required = true, description = "K: number of sampling steps")
        int steps;

        @Option(names = "--fine", defaultValue = "100", description = "N: fine uniform grid steps (default ${DEFAULT-VALUE})")
        int fine;

        @Option(names = "--cost-samples", defaultValue = "100",
                description = "M: noises of the cost matrix (default ${DEFAULT-VALUE})")
        int costSamples;

        @Option(names = "--cost-seed", defaultValue = "0", description = "seed of the cost noises (default ${DEFAULT-VALUE})")
        long costSeed;

        @Option(names = "--cost", defaultValue = "l2", description = "what a jump costs: l2 (the reference's) or "
                + "features (feature-space error of the data prediction after it; default ${DEFAULT-VALUE})")
        String cost;

        @Option(names = "--features", defaultValue = "reference", description = "feature network of --cost features "
                + "(default ${DEFAULT-VALUE}: the one of the model's domain-FID statistics)")
        String features;

        @Option(names = "--json", description = "print the schedule as JSON")
        boolean json;

        @Option(names = "--compare", defaultValue = "0", paramLabel = "N",
                description = "also print the K-step endpoint error on the Bellman and on uniform times, against the "
                        + "fine-grid Euler endpoint from the same N fresh noises (classes spread for conditional models)")
        int compare;

        @Override
        public Integer call() {
            deviceOption.apply();
            // validates the numbers exactly as the sampler would
            BossSampler sampler = new BossSampler(Configs.bind(BossSampler.Config.class, java.util.Map.of("steps",
                    Integer.toString(steps), "fine", Integer.toString(fine), "cost-samples",
                    Integer.toString(costSamples), "cost-seed", Long.toString(costSeed), "cost", cost, "features",
                    features)));
            try (FlowModel m = Models.open(model)) {
                long t0 = System.nanoTime();
                org.flowbench.samplers.boss.BossCost.Objective objective = sampler.objective(m);
                BossSchedule s = BossSchedule.get(m, steps, fine, costSamples, costSeed, null, objective,
                        org.flowbench.engine.run.ProgressListener.NONE, CancellationToken.NONE);
                double ms = (System.nanoTime() - t0) / 1e6;
                var out = spec.commandLine().getOut();
                if (json) {
                    java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
                    j.put("model", m.id());
                    j.put("steps", steps);
                    j.put("fine", fine);
                    j.put("costSamples", costSamples);
                    j.put("costSeed", costSeed);
                    j.put("times", s.times());
                    j.put("fineIndices", s.indices());
                    j.put("objective", s.objective());
                    j.put("cost", objective.describe());
                    j.put("fromCache", s.fromCache());
                    j.put("milliseconds", ms);
                    out.println(Cli.json(j));
                    return 0;
                }
                out.printf(Locale.ROOT, "BOSS schedule for %s: K = %d, fine = %d, cost samples = %d, cost seed = %d%n",
                        m.id(), steps, fine, costSamples, costSeed);
                out.println("times: " + Arrays.stream(s.times()).mapToObj(v -> String.format(Locale.ROOT, "%.6g", v))
                        .collect(Collectors.joining(" ")));
                out.println("step sizes: " + java.util.stream.IntStream.range(0, steps)
                        .mapToObj(i -> String.format(Locale.ROOT, "%.4g", s.times()[i + 1] - s.times()[i]))
                        .collect(Collectors.joining(" ")));
                out.println("fine indices: " + Arrays.stream(s.indices()).mapToObj(Integer::toString)
                        .collect(Collectors.joining(" ")));
                out.printf(Locale.ROOT, "DP objective: %.6g (cost: %s)%n", s.objective(), objective.describe());
                out.printf(Locale.ROOT, "%s in %.0f ms (cache: %s)%n", s.fromCache() ? "reused from the cache"
                        : "computed with " + costSamples * (fine + (objective.features() == null ? 0
                                : org.flowbench.samplers.boss.BossCost.featureRowEvaluations(fine, fine)))
                                + " field evaluations", ms,
                        BossSchedule.cacheRoot().resolve("boss"));
                if (compare > 0) {
                    var held = BossStraighten.heldout(m, fine, compare, costSeed + 1_000_003, m.classNames().size());
                    double[] uniform = org.flowbench.samplers.boss.BossCost.fineGrid(m.path(), steps);
                    double eb = BossStraighten.endpointError(m, s.times(), held);
                    double eu = BossStraighten.endpointError(m, uniform, held);
                    out.printf(Locale.ROOT, "%d-step endpoint error vs the %d-step path (%d held-out noises): Bellman "
                            + "%.6g, uniform %.6g (%.2fx)%n", steps, fine, compare, eb, eu, eu / eb);
                }
            }
            return 0;
        }
    }
}
