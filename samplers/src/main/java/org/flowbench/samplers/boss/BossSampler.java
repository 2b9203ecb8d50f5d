package org.flowbench.samplers.boss;

import java.util.Arrays;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.samplers.GridSampler;
import org.flowbench.samplers.Param;
import org.flowbench.samplers.RungeKutta;
import org.flowbench.samplers.Schedule;

/**
 * BOSS sampling: Euler (or Heun) on the Bellman-optimal K-step subset of a fine uniform grid, found by the exact-K
 * DP on the model's own one-step Euler costs ({@link BossCost}, {@link BellmanDp}). The schedule is computed once per
 * (model hash, K, fine, cost-samples, cost-seed, conditioning, cost objective), cached on disk, and its times, DP
 * objective and cost objective go in the manifest.
 * NFE per image: K (Euler) or 2K (Heun); the one-time N·M evaluations of the cost matrix are not part of any image's
 * NFE (the manifest records the network evaluations this run made for it as {@code scheduleNfe}, 0 when the schedule
 * came from a cache).
 */
public final class BossSampler extends GridSampler<BossSampler.Config> {
    /** Feature networks of cost=features, opened once per process (each holds its weights on the native side). */
    private static final java.util.Map<String, org.flowbench.engine.model.FeatureExtractor> FEATURES =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The objective of each (features spec, model) pair, so that a run resolves it once. */
    private static final java.util.Map<String, BossCost.Objective> OBJECTIVES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Parameters of BOSS. */
    public record Config(
            @Param(name = "steps", dflt = "8", min = 1, max = 10000, description = "K: number of sampling steps")
            int steps,
            @Param(name = "fine", dflt = "100", min = 1, max = 100000,
                    description = "N: steps of the fine uniform grid the schedule is chosen from") int fine,
            @Param(name = "cost-samples", dflt = "100", min = 1, max = 1000000,
                    description = "M: noises whose N-step Euler paths define the cost matrix") int costSamples,
            @Param(name = "cost-seed", dflt = "0", min = 0, max = Long.MAX_VALUE,
                    description = "seed of the cost-matrix noises") long costSeed,
            @Param(name = "solver", dflt = "euler", choices = {"euler", "heun"},
                    description = "solver on the Bellman times: euler (K NFE) or heun (2K NFE)") String solver,
            @Param(name = "cost", dflt = "l2", choices = {"l2", "features"},
                    description = "what a jump costs: l2 (the reference's pixel error of the state it reaches) or "
                            + "features (error of the data prediction after it in a feature network's space; "
                            + "orders few-step schedules like FID; about N/2 times the cost matrix's evaluations)")
            String cost,
            @Param(name = "features", dflt = "reference", description = "feature network of cost=features: "
                    + "reference (the one of the model's domain-FID statistics) or a spec such as "
                    + "builtin:fashion-classifier") String features) {
        public Config {
            if (steps > fine) {
                throw new org.flowbench.engine.FlowbenchException("BOSS: steps (" + steps + ") cannot exceed fine ("
                        + fine + ")", "raise 'fine' or lower 'steps'");
            }
        }
    }

    public BossSampler(Config config) {
        super("boss", "1", config);
    }

    /** The cost objective of this config for a model (resolves the feature network of cost=features once). */
    public BossCost.Objective objective(FlowModel model) {
        if (config().cost().equals("l2")) {
            return BossCost.Objective.STATE_L2;
        }
        // describe, prepare and the schedule each ask: read the reference statistics' header once per model
        String key = config().features() + "|" + model.id() + "|" + model.hash();
        return OBJECTIVES.computeIfAbsent(key, k -> {
            String spec = config().features();
            if (spec.equals("reference")) {
                java.nio.file.Path stats = org.flowbench.engine.model.pkg.PackageResolver
                        .defaultReferenceStats(model.id())
                        .orElseThrow(() -> new org.flowbench.engine.FlowbenchException("BOSS cost=features: "
                                + model.id() + " declares no domain-FID statistics to take the feature network from",
                                "name one with --param features=SPEC, e.g. builtin:fashion-classifier"));
                spec = org.flowbench.engine.metrics.ReferenceStats.read(stats).identity().extractor();
            }
            String resolved = spec;
            return BossCost.Objective.features(FEATURES.computeIfAbsent(spec + java.util.Arrays.toString(model.shape()),
                    f -> org.flowbench.engine.metrics.FeatureExtractors.resolve(resolved, model.shape())));
        });
    }

    /** The Bellman schedule for this config on a model under a run's conditioning (cached; null: unconditional). */
    public BossSchedule bellman(FlowModel model, int[] conditioning) {
        return BossSchedule.get(model, config().steps(), config().fine(), config().costSamples(), config().costSeed(),
                conditioning, objective(model), ProgressListener.NONE, CancellationToken.NONE);
    }

    /** The {@code boss} schedule: Bellman-optimal times for the model, computed in {@code prepare}. */
    @Override
    public Schedule schedule() {
        return new Schedule() {
            @Override
            public String id() {
                return "boss";
            }

            @Override
            public double[] times(FlowModel model, int[] conditioning) {
                return bellman(model, conditioning).times();
            }

            @Override
            public void prepare(FlowModel model, int[] conditioning, ProgressListener listener,
                                CancellationToken cancel) {
                BossSchedule.get(model, config().steps(), config().fine(), config().costSamples(),
                        config().costSeed(), conditioning, objective(model), listener, cancel);
            }
        };
    }

    /** Computes (or finds cached) the schedule before the first image, with progress and cancel. */
    @Override
    protected RunState begin(SamplingRequest req, FlowModel model, ProgressListener listener,
                             CancellationToken cancel) {
        long[] fineSteps = {0};
        long[] predictions = {0};
        ProgressListener counting = new ProgressListener() {
            @Override
            public void progress(long done, long total, String what) {
                if (what.equals(BossCost.PROGRESS)) {
                    fineSteps[0] = done;
                } else if (what.equals(BossCost.PROGRESS_PREDICTIONS)) {
                    predictions[0] = done;
                }
                listener.progress(done, total, what);
            }
        };
        schedule().prepare(model, req.conditioningCycle(), counting, cancel);
        // evaluations this call made for the schedule (0 when it came from a cache), charged to no image
        long scheduleNfe = (fineSteps[0] + predictions[0])
                * config().costSamples() * model.networkEvaluationsPerState();
        return new RunState() {
            @Override
            public void describe(RunManifest.Builder manifest) {
                manifest.put("scheduleNfe", scheduleNfe);
            }
        };
    }

    @Override
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder manifest) {
        super.describe(req, model, manifest);
        BossSchedule s = bellman(model, req.conditioningCycle());
        manifest.put("scheduleConditioning", java.util.Arrays.stream(BossSchedule.normalise(req.conditioningCycle()))
                .boxed().toList());
        manifest.put("fineIndices", Arrays.stream(s.indices()).boxed().toList());
        manifest.put("dpObjective", s.objective());
        manifest.put("scheduleCost", objective(model).describe());
        manifest.put("scheduleFromCache", s.fromCache());
    }

    @Override
    protected void integrate(Batch b) {
        (config().solver().equals("heun") ? RungeKutta.HEUN : RungeKutta.EULER).integrate(b, grid(b.model, b.request));
    }
}
