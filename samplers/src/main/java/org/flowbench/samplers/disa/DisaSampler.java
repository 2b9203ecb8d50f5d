package org.flowbench.samplers.disa;

import java.util.Arrays;
import org.flowbench.engine.model.ArTokenModel;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.BatchSampler;
import org.flowbench.samplers.Param;

/**
 * DiSA on an autoregressive token model ({@link DisaLoop}): K AR steps of MAR's cosine mask schedule, the head
 * taking T(k) steps annealed from {@code upper} to {@code lower} ({@link HeadSteps}). {@code schedule=constant
 * upper=50 lower=50} is MAR's baseline with 50 head steps. The image's starting noise (stream 0) is its tokens' noise.
 * Cost: {@code backbone} evaluations (K per image, 2K with guidance) and {@code head} evaluations weighted by the
 * tokens each step samples (doubled with guidance); the manifest adds the schedule T(k), the tokens per step and
 * Σ_k T(k), the sequential head steps.
 */
public final class DisaSampler extends BatchSampler<DisaSampler.Config> {
    /** DiSA's parameters (MAR's names and defaults where MAR has them). */
    public record Config(
            @Param(name = "schedule", dflt = "linear", choices = {"linear", "cosine", "two-stage", "constant"},
                    description = "how head steps fall over the AR steps (constant: always 'lower')") String schedule,
            @Param(name = "upper", dflt = "50", min = 1, max = 1000, description = "head steps at the first AR step"
                    + " (T_up)") int upper,
            @Param(name = "lower", dflt = "5", min = 1, max = 1000, description = "head steps at the last AR step"
                    + " (T_lo)") int lower,
            @Param(name = "ar-steps", dflt = "16", min = 1, max = 4096, description = "autoregressive steps K")
            int arSteps,
            @Param(name = "cfg", dflt = "1", min = 0, max = 20, description = "classifier-free guidance w, raised"
                    + " linearly from 1 with the tokens already sampled (MAR's schedule); 1 = none") double cfg,
            @Param(name = "temperature", dflt = "1", min = 0, max = 10, description = "scale of each token's starting"
                    + " noise") double temperature) {
        public Config {
            HeadSteps.Strategy.parse(schedule);
            if (lower > upper) {
                throw new org.flowbench.engine.FlowbenchException("DiSA: lower " + lower + " exceeds upper " + upper,
                        "head steps fall from upper to lower");
            }
        }

        DisaLoop.Settings settings() {
            return new DisaLoop.Settings(HeadSteps.Strategy.parse(schedule), upper, lower, arSteps, cfg, temperature);
        }
    }

    public DisaSampler(Config config) {
        super("disa", "1", config);
    }

    private static ArTokenModel tokens(FlowModel model) {
        return model.require(ArTokenModel.class, "the disa sampler");
    }

    @Override
    protected long stepsPerImage(SamplingRequest req, FlowModel model) {
        int k = Math.min(config().arSteps(), tokens(model).tokens());
        return Arrays.stream(HeadSteps.mar(config().settings().schedule(), k, config().upper(), config().lower())).sum();
    }

    @Override
    protected double startTime(SamplingRequest req, FlowModel model) {
        return model.path().tStart();
    }

    @Override
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder mb) {
        ArTokenModel m = tokens(model);
        DisaLoop.Settings s = config().settings();
        int[] t = HeadSteps.mar(s.schedule(), s.arSteps(), s.upper(), s.lower());
        mb.put("headSteps", Arrays.stream(t).boxed().toList());
        mb.put("tokensPerStep", Arrays.stream(MaskSchedule.tokensPerStep(m.tokens(), s.arSteps())).boxed().toList());
        mb.put("sequentialHeadSteps", Arrays.stream(t).sum());
    }

    @Override
    protected void integrate(Batch batch) {
        ArTokenModel m = tokens(batch.model);
        int n = batch.n;
        DisaLoop.Result r = DisaLoop.sample(m, m.toTokens(batch.x, n), batch.request.seed(), batch.firstImage, n,
                Condition.of(batch.labels, n), config().settings(), images -> {
                    batch.checkCancel();
                    batch.progress(images);
                });
        double[] img = m.toImages(r.tokens(), n);
        System.arraycopy(img, 0, batch.x, 0, batch.x.length);
        for (int i = 0; i < n; i++) {
            batch.cost.add(CostLedger.BACKBONE, i, r.backbonePerImage());
            batch.cost.add(CostLedger.HEAD, i, r.headPerImage());
        }
    }
}
