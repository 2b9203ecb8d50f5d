package org.flowbench.samplers.boss;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;

/**
 * Phase 1 of BOSS: the cost matrix of one-step Euler jumps along the model's own fine Euler path.
 *
 * <p>Fine grid s_i uniform on [tStart, tEnd], i = 0..N. M noises x0 (Philox, seed {@code costSeed}, image m, stream
 * {@value #NOISE_STREAM}, scaled by the prior σ) are integrated with N-step Euler, keeping every state X_i and velocity V_i; then
 * {@code c[i][j] = (1/M) Σ_m ‖X^m_i + (s_j − s_i)·V^m_i − X^m_j‖²} with ‖·‖² the sum over all dimensions. The field is
 * evaluated once per fine step on the whole batch of M states: N batched calls, N·M evaluations. c[i][i+1] is
 * exactly 0 (that jump is the reference step itself).
 *
 * <p>No sampler draws an image's noise from that stream, so a schedule is fitted on paths other than the ones a run
 * samples (with stream 0, the default cost noise was the noise of images 0–99 of every seed-0 run).
 */
public final class BossCost {
    /** The noise stream of the cost matrix's paths, disjoint from every sampler's (stream 0 is an image's start). */
    public static final int NOISE_STREAM = 0x0B055000;

    /** What the progress of the cost matrix is called. */
    public static final String PROGRESS = "BOSS cost matrix steps";

    private BossCost() {}

    /** The fine grid of {@code fine} uniform steps on the path's interval. */
    public static double[] fineGrid(NoisePath path, int fine) {
        double t0 = path.tStart();
        double t1 = path.tEnd();
        double[] s = new double[fine + 1];
        for (int i = 0; i <= fine; i++) {
            s[i] = t0 + (t1 - t0) * i / fine;
        }
        s[fine] = t1;
        return s;
    }

    /** Unconditional cost matrix (label −1 for every sample). */
    public static CostMatrix compute(FlowModel model, int fine, int samples, long costSeed, CancellationToken cancel) {
        int[] labels = new int[samples];
        java.util.Arrays.fill(labels, FlowModel.UNCONDITIONAL);
        return compute(model, fine, samples, costSeed, labels, ProgressListener.NONE, cancel);
    }

    /** The cost matrix with the given labels; reports each fine step as progress and checks cancel before each. */
    public static CostMatrix compute(FlowModel model, int fine, int samples, long costSeed, int[] labels,
                                     ProgressListener progress, CancellationToken cancel) {
        NoisePath path = model.path();
        double[] s = fineGrid(path, fine);
        int d = model.dim();
        int len = samples * d;
        double[][] xs = new double[fine + 1][];
        double[][] vs = new double[fine][];
        double[] x = new double[len];
        double std = path.sigma(s[0]);
        for (int m = 0; m < samples; m++) {
            NoiseSource.gaussian(costSeed, m, NOISE_STREAM, x, m * d, d);
        }
        for (int i = 0; i < len; i++) {
            x[i] *= std;
        }
        xs[0] = x.clone();
        for (int i = 0; i < fine; i++) {
            cancel.check();
            double[] v = new double[len];
            model.velocity(xs[i], samples, s[i], labels, v);
            vs[i] = v;
            double h = s[i + 1] - s[i];
            double[] next = xs[i].clone();
            for (int e = 0; e < len; e++) {
                next[e] += h * v[e];
            }
            xs[i + 1] = next;
            progress.progress(i + 1, fine, PROGRESS);
        }
        CostMatrix c = new CostMatrix(fine + 1);
        // rows are independent: compute them in parallel (each entry is a fixed-order sum, so results do not depend
        // on the thread count)
        java.util.stream.IntStream.range(0, fine).parallel().forEach(i -> {
            cancel.check();
            double[] xi = xs[i];
            double[] vi = vs[i];
            for (int j = i + 1; j <= fine; j++) {
                double h = s[j] - s[i];
                double[] xj = xs[j];
                double acc = 0;
                for (int e = 0; e < len; e++) {
                    double r = xi[e] + h * vi[e] - xj[e];
                    acc += r * r;
                }
                c.set(i, j, acc / samples);
            }
        });
        return c;
    }
}
