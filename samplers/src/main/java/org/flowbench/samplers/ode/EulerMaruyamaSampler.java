package org.flowbench.samplers.ode;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.samplers.GridSampler;
import org.flowbench.samplers.Param;
import org.flowbench.samplers.Schedule;
import org.flowbench.samplers.TimeGrid;

/**
 * Euler–Maruyama on the reverse SDE dx = (v + ½·η·g²·∇log p_t) dt + √(η·g²) dW, where g² is the path's own diffusion
 * (VP: b(τ); VE: dσ²/dσ; rectified flow: 2(1−t)/t) and η scales the noise (η = 0 is the probability-flow ODE).
 * One field evaluation per step: the score is the exact conversion of the same prediction. Step k's noise is
 * stream k of the image, so runs are reproducible per image; the last step, which ends at the data, draws none.
 */
public final class EulerMaruyamaSampler extends GridSampler<EulerMaruyamaSampler.Config> {
    /** Parameters of Euler–Maruyama. */
    public record Config(
            @Param(name = "steps", dflt = "200", min = 1, max = 100000, description = "number of SDE steps") int steps,
            @Param(name = "grid", dflt = "uniform", choices = {"uniform", "edm", "list"},
                    description = "time grid (SDE grids start where σ/α ≤ 80 on rectified flow)") String grid,
            @Param(name = "rho", dflt = "7", min = 1, max = 20, description = "ρ of the EDM grid") double rho,
            @Param(name = "times", dflt = "", description = "comma-separated times for grid=list") String times,
            @Param(name = "noise", dflt = "1", min = 0, max = 10,
                    description = "η: scale of the diffusion; 1 = the path's reverse SDE, 0 = the ODE") double noise) {}

    public EulerMaruyamaSampler(Config config) {
        super("euler-maruyama", "2", config); // 2: no noise on the final step
    }

    @Override
    public Schedule schedule() {
        return TimeGrid.schedule(config().grid(), config().steps(), config().rho(), config().times(), true);
    }

    @Override
    protected void integrate(Batch b) {
        NoisePath path = b.model.path();
        double[] t = grid(b.model, b.request);
        int len = b.x.length;
        double[] x = b.x;
        double[] v = new double[len];
        double[] s = new double[len];
        double[] z = new double[len];
        for (int k = 0; k < t.length - 1; k++) {
            double t0 = t[k];
            double h = t[k + 1] - t0;
            double[] x0 = b.previewStart(k + 1);
            b.velocity(t0, x, v);
            double g2 = config().noise() * path.diffusionSquared(t0);
            if (g2 > 0) {
                Parameterization.convert(path, t0, Parameterization.VELOCITY, Parameterization.SCORE, x, v, s, len);
                b.noise(k + 1, z);
                // the last step ends at the data, where the path has no noise: the transition's mean only
                double sq = k == t.length - 2 ? 0 : Math.sqrt(g2 * h);
                for (int i = 0; i < len; i++) {
                    x[i] += h * (v[i] + 0.5 * g2 * s[i]) + sq * z[i];
                }
            } else {
                for (int i = 0; i < len; i++) {
                    x[i] += h * v[i];
                }
            }
            b.stepDone(k + 1, t0, x0, v);
        }
    }
}
