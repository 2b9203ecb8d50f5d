package org.flowbench.samplers.ode;

import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.BatchSampler;
import org.flowbench.samplers.Param;

/**
 * Adaptive Dormand–Prince 5(4) with FSAL on the probability-flow ODE. Every image has its own step size and time,
 * so an image's path (and its NFE) never depends on the other images of its batch; the states still advance
 * together, one batched evaluation per stage over the images that are not finished.
 */
public final class Rk45Sampler extends BatchSampler<Rk45Sampler.Config> {
    /** Parameters of the adaptive solver. */
    public record Config(
            @Param(name = "rtol", dflt = "1e-5", min = 1e-12, max = 1, description = "relative tolerance") double rtol,
            @Param(name = "atol", dflt = "1e-5", min = 1e-12, max = 1, description = "absolute tolerance") double atol,
            @Param(name = "max-steps", dflt = "10000", min = 1, max = 10000000,
                    description = "give up after this many attempted steps per image") int maxSteps,
            @Param(name = "h0", dflt = "0.01", min = 1e-8, max = 1, description = "first step size") double h0) {}

    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    /** 5th-order weights minus the embedded 4th-order ones. */
    private static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

    public Rk45Sampler(Config config) {
        super("rk45", "1", config);
    }

    @Override
    protected long stepsPerImage(SamplingRequest req, FlowModel model) {
        return 50;
    }

    @Override
    protected double startTime(SamplingRequest req, FlowModel model) {
        return model.path().tStart();
    }

    @Override
    protected void integrate(Batch b) {
        FlowModel model = b.model;
        int n = b.n;
        int d = model.dim();
        double tEnd = model.path().tEnd();
        double[] t = new double[n];
        double[] h = new double[n];
        java.util.Arrays.fill(t, model.path().tStart());
        java.util.Arrays.fill(h, config().h0());
        int[] attempts = new int[n];
        boolean[] done = new boolean[n];
        double[][] k = new double[7][n * d];
        // FSAL: k[0] holds v at each image's current (x, t)
        model.velocityAt(b.x, n, t, b.labels, k[0]);
        for (int i = 0; i < n; i++) {
            b.chargeEvaluations(i, 1);
        }
        int[] idx = new int[n];
        int round = 0;
        while (true) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    idx[m++] = i;
                }
            }
            if (m == 0) {
                break;
            }
            round++;
            int[] labels = new int[m];
            double[] ta = new double[m];
            double[] ha = new double[m];
            double[] xa = new double[m * d];
            double[][] ka = new double[7][];
            ka[0] = new double[m * d];
            for (int a = 0; a < m; a++) {
                int i = idx[a];
                labels[a] = b.labels[i];
                ha[a] = Math.min(h[i], tEnd - t[i]);
                ta[a] = t[i];
                System.arraycopy(b.x, i * d, xa, a * d, d);
                System.arraycopy(k[0], i * d, ka[0], a * d, d);
            }
            double[] xs = new double[m * d];
            double[] ts = new double[m];
            for (int s = 1; s < 7; s++) {
                for (int a = 0; a < m; a++) {
                    ts[a] = ta[a] + C[s] * ha[a];
                    for (int e = 0; e < d; e++) {
                        int p = a * d + e;
                        double acc = 0;
                        for (int j = 0; j < s; j++) {
                            acc += A[s][j] * ka[j][p];
                        }
                        xs[p] = xa[p] + ha[a] * acc;
                    }
                }
                ka[s] = new double[m * d];
                model.velocityAt(xs, m, ts, labels, ka[s]);
            }
            // xs now holds the 5th-order solution (stage 7 is evaluated at it: FSAL)
            for (int a = 0; a < m; a++) {
                int i = idx[a];
                b.chargeEvaluations(i, 6);
                attempts[i]++;
                double err = 0;
                for (int e = 0; e < d; e++) {
                    int p = a * d + e;
                    double est = 0;
                    for (int j = 0; j < 7; j++) {
                        est += E[j] * ka[j][p];
                    }
                    est *= ha[a];
                    double sc = config().atol() + config().rtol() * Math.max(Math.abs(xa[p]), Math.abs(xs[p]));
                    err += (est / sc) * (est / sc);
                }
                err = Math.sqrt(err / d);
                if (!Double.isFinite(err)) {
                    throw new FlowbenchException("rk45: the field returned a non-finite value at t = " + ta[a]
                            + " (image " + (b.firstImage + i) + ")");
                }
                if (err <= 1) {
                    t[i] = ta[a] + ha[a];
                    System.arraycopy(xs, a * d, b.x, i * d, d);
                    System.arraycopy(ka[6], a * d, k[0], i * d, d);
                    if (t[i] >= tEnd - 1e-14) {
                        t[i] = tEnd;
                        done[i] = true;
                    }
                }
                double factor = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
                h[i] = ha[a] * (err <= 1 ? factor : Math.min(1, factor));
                if (!done[i] && attempts[i] >= config().maxSteps()) {
                    throw new FlowbenchException("rk45: image " + (b.firstImage + i) + " needed more than "
                            + config().maxSteps() + " steps", "raise max-steps or loosen rtol/atol");
                }
            }
            int every = b.request.previewEvery();
            if (every > 0 && round % every == 0) {
                double[] x1 = new double[n * d];
                double[] xi = new double[d];
                double[] out = new double[d];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(b.x, i * d, xi, 0, d);
                    System.arraycopy(k[0], i * d, out, 0, d);
                    Parameterization.convert(model.path(), t[i], Parameterization.VELOCITY, Parameterization.DATA, xi,
                            out, out, d);
                    System.arraycopy(out, 0, x1, i * d, d);
                }
                b.preview(round, x1);
            }
            b.stepDone(round, 0, null, null);
        }
    }
}
