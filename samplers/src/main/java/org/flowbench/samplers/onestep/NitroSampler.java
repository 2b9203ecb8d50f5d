package org.flowbench.samplers.onestep;

import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.SdxlSchedule;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.BatchSampler;
import org.flowbench.samplers.Param;

/**
 * NitroFusion's multi-step "bottom-up refinement" (method reference §4.3, the released TimestepShiftLCMScheduler):
 * noise levels τ_1 > … > τ_N taken from the LCM origin grid {k·(1000/origin) − 1} reversed, indices
 * ⌊linspace(0, origin, N, endpoint = false)⌋; at each step the model is told the shifted level s_i = ⌊τ_i·shift/1000⌋
 * (integer truncation) and predicts the clean image from the current state as if it were at level s_i; the LCM
 * boundary scalings give d = c_out(s)·x̂0 + c_skip(s)·x (σ_data 0.5, timestep scaling 10); unless it is the last step,
 * d is re-noised to the <em>original</em> next level τ_{i+1}; the last step adds no noise.
 *
 * <p>Levels: {@code schedule=sdxl} is the SDXL DDPM schedule (β_i = (linspace(√0.00085, √0.012, 1000)_i)², ᾱ_τ =
 * Π_{i≤τ}(1 − β_i)): a state at level τ is √ᾱ_τ·x0 + √(1 − ᾱ_τ)·ε. {@code schedule=rf} is the rectified-flow analogue:
 * level τ is RF time t = 1 − τ/1000, a state t·x1 + (1 − t)·ε. {@code auto} takes rf for rectified-flow models and
 * sdxl otherwise. The model is evaluated at the time of its own path with the same noise-to-signal ratio as the
 * level, its input scaled by α_model/α_level, so any Gaussian-path model serves exactly (VP ε, VE, RF velocity).
 */
public final class NitroSampler extends BatchSampler<NitroSampler.Config> {
    /** Parameters of the bottom-up sampler. */
    public record Config(
            @Param(name = "steps", dflt = "1", min = 1, max = 1000, description = "refinement steps N (1–4 with "
                    + "origin 4)") int steps,
            @Param(name = "shift", dflt = "250", min = 1, max = 1000,
                    description = "timestep shift: the model is told level ⌊τ·shift/1000⌋ (1000 = no shift; "
                            + "250 Realism, 500 Vibrant)") int shift,
            @Param(name = "origin-steps", dflt = "4", min = 1, max = 1000,
                    description = "LCM original inference steps: the grid of noise levels") int originSteps,
            @Param(name = "schedule", dflt = "auto", choices = {"auto", "sdxl", "rf"},
                    description = "noise levels: SDXL's discrete VP schedule, or RF time t = 1 − τ/1000; auto = rf "
                            + "for rectified-flow models") String schedule) {
        public Config {
            if (steps > originSteps) {
                throw new FlowbenchException("steps " + steps + " exceeds origin-steps " + originSteps,
                        "the refinement visits levels of the origin grid; use at most origin-steps steps");
            }
        }
    }

    static final double SIGMA_DATA = 0.5;
    static final double TIMESTEP_SCALING = 10;

    public NitroSampler(Config config) {
        super("nitro", "1", config);
    }

    /** ᾱ_τ of SDXL's scaled-linear DDPM schedule, τ = 0 … 999, in double. */
    static double[] sdxlAlphaBar() {
        return SdxlSchedule.alphaBar();
    }

    /** The noise levels τ_1 > … > τ_N. */
    static int[] levels(int steps, int origin) {
        int k = 1000 / origin;
        int[] grid = new int[origin];
        for (int j = 0; j < origin; j++) {
            grid[j] = (origin - j) * k - 1; // reversed origin grid: 999, 749, 499, 249 for origin 4
        }
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = grid[(int) Math.floor(i * (double) origin / steps)];
        }
        return out;
    }

    /** The level the model is told: ⌊τ·shift/1000⌋. */
    static int shifted(int tau, int shift) {
        return (int) Math.floor(tau * (double) shift / 1000.0);
    }

    /** LCM boundary scalings {c_skip, c_out} at integer timestep s. */
    static double[] boundary(int s) {
        double st = s * TIMESTEP_SCALING;
        double v = st * st + SIGMA_DATA * SIGMA_DATA;
        return new double[] {SIGMA_DATA * SIGMA_DATA / v, st / Math.sqrt(v)};
    }

    /** The scheme these parameters use on {@code model}. */
    boolean rf(FlowModel model) {
        return switch (config().schedule()) {
            case "rf" -> true;
            case "sdxl" -> false;
            default -> model.path().id().equals("rectified-flow");
        };
    }

    /** {α, σ} of level τ in the sampler's own coordinates. */
    static double[] level(boolean rf, int tau) {
        if (rf) {
            double t = 1 - tau / 1000.0;
            return new double[] {t, 1 - t};
        }
        double ab = SdxlSchedule.alphaBar(tau);
        return new double[] {Math.sqrt(ab), Math.sqrt(1 - ab)};
    }

    @Override
    protected long stepsPerImage(SamplingRequest req, FlowModel model) {
        return config().steps();
    }

    @Override
    protected double startTime(SamplingRequest req, FlowModel model) {
        return model.path().tStart();
    }

    @Override
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder mb) {
        boolean rf = rf(model);
        int[] taus = levels(config().steps(), config().originSteps());
        List<Integer> levels = new ArrayList<>();
        List<Integer> told = new ArrayList<>();
        List<Double> modelTimes = new ArrayList<>();
        for (int tau : taus) {
            levels.add(tau);
            int s = shifted(tau, config().shift());
            told.add(s);
            modelTimes.add(modelTime(model.path(), level(rf, s)));
        }
        mb.put("levelSchedule", rf ? "rf: t = 1 - tau/1000" : "sdxl: scaled-linear DDPM, 1000 steps");
        mb.put("noiseLevels", levels);
        mb.put("shiftedLevels", told);
        mb.put("modelTimes", modelTimes);
    }

    /** The model's time whose noise-to-signal ratio is the level's. */
    static double modelTime(NoisePath path, double[] alphaSigma) {
        return path.tOfRatio(alphaSigma[1] / alphaSigma[0]);
    }

    @Override
    protected void integrate(Batch batch) {
        boolean rf = rf(batch.model);
        NoisePath path = batch.model.path();
        int n = batch.n;
        int d = batch.dim();
        int len = n * d;
        int[] taus = levels(config().steps(), config().originSteps());
        double[] x = new double[len];
        batch.noise(0, x);
        double[] in = new double[len];
        double[] v = new double[len];
        double[] x0 = new double[len];
        double[] eps = new double[len];
        for (int i = 0; i < taus.length; i++) {
            int s = shifted(taus[i], config().shift());
            double[] as = level(rf, s);
            double t = modelTime(path, as);
            // the state, read as a state at level s, in the model's own coordinates
            double c = path.alpha(t) / as[0];
            for (int j = 0; j < len; j++) {
                in[j] = c * x[j];
            }
            batch.velocity(t, in, v);
            Parameterization.convert(path, t, Parameterization.VELOCITY, Parameterization.DATA, in, v, x0, len);
            double[] cs = boundary(s);
            boolean last = i == taus.length - 1;
            if (last) {
                for (int j = 0; j < len; j++) {
                    x[j] = cs[1] * x0[j] + cs[0] * x[j];
                }
            } else {
                double[] next = level(rf, taus[i + 1]);
                batch.noise(i + 1, eps);
                for (int j = 0; j < len; j++) {
                    double dj = cs[1] * x0[j] + cs[0] * x[j];
                    x[j] = next[0] * dj + next[1] * eps[j];
                }
            }
            int every = batch.request.previewEvery();
            if (every > 0 && (i + 1) % every == 0) {
                batch.preview(i + 1, x0.clone());
            }
            batch.stepDone(i + 1, t, null, null);
        }
        System.arraycopy(x, 0, batch.x, 0, len);
    }
}
