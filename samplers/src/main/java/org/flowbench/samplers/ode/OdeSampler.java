package org.flowbench.samplers.ode;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.samplers.GridSampler;
import org.flowbench.samplers.Param;
import org.flowbench.samplers.RungeKutta;
import org.flowbench.samplers.Schedule;
import org.flowbench.samplers.TimeGrid;

/** Fixed-step solvers of the probability-flow ODE dx/dt = v(x, t): Euler (1 NFE/step), Heun (2), RK4 (4). */
public final class OdeSampler extends GridSampler<OdeSampler.Config> {
    /** The fixed-step methods, with their stable ids. */
    public enum Method {
        EULER("euler", "explicit Euler on the probability-flow ODE, 1 NFE per step", RungeKutta.EULER),
        HEUN("heun", "Heun's second-order method (trapezoidal corrector), 2 NFE per step", RungeKutta.HEUN),
        RK4("rk4", "classical fourth-order Runge–Kutta, 4 NFE per step", RungeKutta.RK4);

        public final String id;
        public final String description;
        public final RungeKutta kernel;

        Method(String id, String description, RungeKutta kernel) {
            this.id = id;
            this.description = description;
            this.kernel = kernel;
        }
    }

    /** Parameters of the fixed-step solvers. */
    public record Config(
            @Param(name = "steps", dflt = "32", min = 1, max = 100000, description = "number of solver steps") int steps,
            @Param(name = "grid", dflt = "auto", choices = {"auto", "uniform", "edm", "list"},
                    description = "time grid: auto (the model's own times for this step count, e.g. a BOSS "
                            + "student's, else uniform), uniform in t, EDM-ρ on σ/α, or the explicit 'times' list")
            String grid,
            @Param(name = "rho", dflt = "7", min = 1, max = 20, description = "ρ of the EDM grid") double rho,
            @Param(name = "times", dflt = "", description = "comma-separated times for grid=list (steps + 1 values)")
            String times) {}

    private final Method method;

    public OdeSampler(Method method, Config config) {
        // version 2: the default grid became auto (a model's own times, else uniform as in version 1)
        super(method.id, "2", config);
        this.method = method;
    }

    @Override
    public Schedule schedule() {
        return TimeGrid.schedule(config().grid(), config().steps(), config().rho(), config().times(), false);
    }

    @Override
    protected void integrate(Batch b) {
        method.kernel.integrate(b, grid(b.model, b.request));
    }
}
