package org.flowbench.samplers.ode;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.samplers.GridSampler;
import org.flowbench.samplers.Param;
import org.flowbench.samplers.TimeGrid;

/** Fixed-step solvers of the probability-flow ODE dx/dt = v(x, t): Euler (1 NFE/step), Heun (2), RK4 (4). */
public final class OdeSampler extends GridSampler<OdeSampler.Config> {
    /** The fixed-step methods, with their stable ids. */
    public enum Method {
        EULER("euler", "explicit Euler on the probability-flow ODE, 1 NFE per step", 1),
        HEUN("heun", "Heun's second-order method (trapezoidal corrector), 2 NFE per step", 2),
        RK4("rk4", "classical fourth-order Runge–Kutta, 4 NFE per step", 4);

        public final String id;
        public final String description;
        public final int stages;

        Method(String id, String description, int stages) {
            this.id = id;
            this.description = description;
            this.stages = stages;
        }
    }

    /** Parameters of the fixed-step solvers. */
    public record Config(
            @Param(name = "steps", dflt = "32", min = 1, max = 100000, description = "number of solver steps") int steps,
            @Param(name = "grid", dflt = "uniform", choices = {"uniform", "edm", "list"},
                    description = "time grid: uniform in t, EDM-ρ on σ/α, or the explicit 'times' list") String grid,
            @Param(name = "rho", dflt = "7", min = 1, max = 20, description = "ρ of the EDM grid") double rho,
            @Param(name = "times", dflt = "", description = "comma-separated times for grid=list (steps + 1 values)")
            String times) {}

    private final Method method;

    public OdeSampler(Method method, Config config) {
        super(method.id, "1", config);
        this.method = method;
    }

    @Override
    public double[] grid(FlowModel model) {
        return TimeGrid.build(config().grid(), model.path(), config().steps(), config().rho(), config().times(), false);
    }

    @Override
    protected void integrate(Batch b) {
        double[] t = grid(b.model);
        int len = b.x.length;
        double[] x = b.x;
        double[] k1 = new double[len];
        double[] k2 = method == Method.EULER ? null : new double[len];
        double[] k3 = method == Method.RK4 ? new double[len] : null;
        double[] k4 = method == Method.RK4 ? new double[len] : null;
        double[] tmp = method == Method.EULER ? null : new double[len];
        double[] x0 = b.request.previewEvery() > 0 ? new double[len] : null;
        for (int k = 0; k < t.length - 1; k++) {
            double t0 = t[k];
            double h = t[k + 1] - t0;
            boolean previewHere = x0 != null && (k + 1) % b.request.previewEvery() == 0;
            if (previewHere) {
                System.arraycopy(x, 0, x0, 0, len);
            }
            b.velocity(t0, x, k1);
            switch (method) {
                case EULER -> {
                    for (int i = 0; i < len; i++) {
                        x[i] += h * k1[i];
                    }
                }
                case HEUN -> {
                    for (int i = 0; i < len; i++) {
                        tmp[i] = x[i] + h * k1[i];
                    }
                    b.velocity(t0 + h, tmp, k2);
                    for (int i = 0; i < len; i++) {
                        x[i] += 0.5 * h * (k1[i] + k2[i]);
                    }
                }
                case RK4 -> {
                    for (int i = 0; i < len; i++) {
                        tmp[i] = x[i] + 0.5 * h * k1[i];
                    }
                    b.velocity(t0 + 0.5 * h, tmp, k2);
                    for (int i = 0; i < len; i++) {
                        tmp[i] = x[i] + 0.5 * h * k2[i];
                    }
                    b.velocity(t0 + 0.5 * h, tmp, k3);
                    for (int i = 0; i < len; i++) {
                        tmp[i] = x[i] + h * k3[i];
                    }
                    b.velocity(t0 + h, tmp, k4);
                    for (int i = 0; i < len; i++) {
                        x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
                    }
                }
            }
            b.stepDone(k + 1, t0, previewHere ? x0 : null, previewHere ? k1 : null);
        }
    }
}
