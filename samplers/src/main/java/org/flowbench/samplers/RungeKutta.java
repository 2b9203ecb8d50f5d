package org.flowbench.samplers;

/**
 * The fixed-step solver kernels of the probability-flow ODE, once for every sampler that steps on a grid (the ODE
 * samplers, BOSS): Euler (1 evaluation per step), Heun (2), classical RK4 (4). Stage times are t0 + c·h.
 */
public enum RungeKutta {
    EULER(1), HEUN(2), RK4(4);

    public final int stages;

    RungeKutta(int stages) {
        this.stages = stages;
    }

    /** Work arrays for one chunk, reused across steps. */
    public final class Scratch {
        /** v(x, t0) of the last step: what a preview of that step converts. */
        public final double[] k1;
        private final double[] k2;
        private final double[] k3;
        private final double[] k4;
        private final double[] tmp;

        public Scratch(int len) {
            k1 = new double[len];
            k2 = stages > 1 ? new double[len] : null;
            k3 = stages > 2 ? new double[len] : null;
            k4 = stages > 2 ? new double[len] : null;
            tmp = stages > 1 ? new double[len] : null;
        }
    }

    /** One step of the chunk's states from t0 to t1, in place. */
    public void step(BatchSampler.Batch b, double t0, double t1, Scratch s) {
        double[] x = b.x;
        int len = x.length;
        double h = t1 - t0;
        b.velocity(t0, x, s.k1);
        double[] k1 = s.k1;
        switch (this) {
            case EULER -> {
                for (int i = 0; i < len; i++) {
                    x[i] += h * k1[i];
                }
            }
            case HEUN -> {
                for (int i = 0; i < len; i++) {
                    s.tmp[i] = x[i] + h * k1[i];
                }
                b.velocity(t0 + h, s.tmp, s.k2);
                for (int i = 0; i < len; i++) {
                    x[i] += 0.5 * h * (k1[i] + s.k2[i]);
                }
            }
            case RK4 -> {
                for (int i = 0; i < len; i++) {
                    s.tmp[i] = x[i] + 0.5 * h * k1[i];
                }
                b.velocity(t0 + 0.5 * h, s.tmp, s.k2);
                for (int i = 0; i < len; i++) {
                    s.tmp[i] = x[i] + 0.5 * h * s.k2[i];
                }
                b.velocity(t0 + 0.5 * h, s.tmp, s.k3);
                for (int i = 0; i < len; i++) {
                    s.tmp[i] = x[i] + h * s.k3[i];
                }
                b.velocity(t0 + h, s.tmp, s.k4);
                for (int i = 0; i < len; i++) {
                    x[i] += h / 6 * (k1[i] + 2 * s.k2[i] + 2 * s.k3[i] + s.k4[i]);
                }
            }
        }
    }

    /** Steps the chunk over the whole grid t, with progress, cancel and previews (x̂1 from each step's k1). */
    public void integrate(BatchSampler.Batch b, double[] t) {
        Scratch s = new Scratch(b.x.length);
        for (int k = 0; k < t.length - 1; k++) {
            double[] x0 = b.previewStart(k + 1);
            step(b, t[k], t[k + 1], s);
            b.stepDone(k + 1, t[k], x0, s.k1);
        }
    }
}
