package org.flowbench.samplers.onestep;

import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;

/**
 * ODE paths of a (low-dimensional) flow on a uniform grid from t = 0 to 1, unconditional, in doubles: the endpoints
 * and the straightness S = ∫ E‖(Z1 − Z0) − v(Z_t, t)‖² dt of methods reference §2.4 (left Riemann sum on the grid;
 * 0 iff every path is a straight line at constant speed). For the 2-D experiments and tests of rectified flow.
 */
public record FlowPaths(double[] end, double straightness) {
    /** RK4 with {@code steps} uniform steps from the n states z (n × dim). */
    public static FlowPaths rk4(FlowModel m, double[] z, int n, int steps) {
        double[] x = z.clone();
        double h = 1.0 / steps;
        double[] k1 = new double[x.length];
        double[] k2 = new double[x.length];
        double[] k3 = new double[x.length];
        double[] k4 = new double[x.length];
        double[] y = new double[x.length];
        // Σ_s ‖Δ − v_s‖² = steps·‖Δ‖² − 2Δ·Σv_s + Σ‖v_s‖² with Δ = Z1 − Z0: sums, not every step's velocities
        double[] vSum = new double[x.length];
        double vSquares = 0;
        for (int s = 0; s < steps; s++) {
            double t = s * h;
            m.velocity(x, n, t, null, k1);
            for (int i = 0; i < x.length; i++) {
                vSum[i] += k1[i];
                vSquares += k1[i] * k1[i];
            }
            axpy(x, 0.5 * h, k1, y);
            m.velocity(y, n, t + 0.5 * h, null, k2);
            axpy(x, 0.5 * h, k2, y);
            m.velocity(y, n, t + 0.5 * h, null, k3);
            axpy(x, h, k3, y);
            m.velocity(y, n, t + h, null, k4);
            for (int i = 0; i < x.length; i++) {
                x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
        }
        double sum = vSquares;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - z[i];
            sum += steps * d * d - 2 * d * vSum[i];
        }
        return new FlowPaths(x, sum / steps / n);
    }

    /** Euler with {@code steps} uniform steps; one step is the one-step sample z + v(z, 0). */
    public static double[] euler(FlowModel m, double[] z, int n, int steps) {
        double[] x = z.clone();
        double[] v = new double[x.length];
        for (int s = 0; s < steps; s++) {
            m.velocity(x, n, s / (double) steps, null, v);
            for (int i = 0; i < x.length; i++) {
                x[i] += v[i] / steps;
            }
        }
        return x;
    }

    /** Fréchet distance of n samples (n × dim) to the exact moments of the unconditional target. */
    public static double fd(double[] x, int n, KnownDistribution g) {
        GaussianStats s = new GaussianStats(g.dim());
        s.addBatch(x, n);
        return Frechet.distance(s, GaussianStats.of(Long.MAX_VALUE / 4, g.dataMean(-1), g.dataCovariance(-1)));
    }

    private static void axpy(double[] x, double a, double[] k, double[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + a * k[i];
        }
    }
}
