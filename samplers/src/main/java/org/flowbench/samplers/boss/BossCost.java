package org.flowbench.samplers.boss;

import org.flowbench.engine.model.FeatureExtractor;
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
 * <p>{@link Objective#features} measures each jump by where it leads instead: the data prediction after the jump,
 * x̂1 = x̂_j + (1 − s_j)·v(x̂_j, s_j) with x̂_j = X_i + (s_j − s_i)·V_i, against the fine path's own prediction
 * P_j = X_j + (1 − s_j)·V_j, both clipped to the pixel range and compared in a feature network's space (domain FID's,
 * by default): {@code c[i][j] = (1/M) Σ_m ‖f(x̂1^m) − f(P^m_j)‖²}. This costs one more field evaluation per entry
 * and sample (M·N(N−1)/2 in all) and orders few-step schedules the way domain FID does, where the pixel error of
 * noisy states does not (docs/methods-boss-fkc.md). c[i][i+1] is again exactly 0.
 *
 * <p>No sampler draws an image's noise from that stream, so a schedule is fitted on paths other than the ones a run
 * samples (with stream 0, the default cost noise was the noise of images 0–99 of every seed-0 run).
 */
public final class BossCost {
    /** The noise stream of the cost matrix's paths, disjoint from every sampler's (stream 0 is an image's start). */
    public static final int NOISE_STREAM = 0x0B055000;

    /** What the progress of the cost matrix is called. */
    public static final String PROGRESS = "BOSS cost matrix steps";

    /**
     * The progress of the feature objective, counted in field evaluations per cost sample (row i makes N − 1 − i), so
     * that its rate and time left hold although later rows are shorter.
     */
    public static final String PROGRESS_PREDICTIONS = "BOSS cost matrix predictions";

    /**
     * What a jump's cost measures: the pixel error of the state it reaches ({@link #STATE_L2}, the reference's), or
     * the feature-space error of the data prediction after it ({@link #features}).
     */
    public record Objective(String name, FeatureExtractor features) {
        public static final Objective STATE_L2 = new Objective("l2", null);

        public static Objective features(FeatureExtractor fx) {
            return new Objective("features", java.util.Objects.requireNonNull(fx));
        }

        /** "" for the reference's objective (its caches keep their names), else a tag naming the feature network. */
        public String tag() {
            return features == null ? "" : "-features" + org.flowbench.engine.model.pkg.ModelPackage.sha256(
                    (features.id() + "|" + features.hash() + "|" + features.preprocessing())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        }

        /** As the manifest says it. */
        public String describe() {
            return features == null ? "l2 (pixel error of the state a jump reaches)"
                    : "features (error of the data prediction after a jump, in " + features.id() + "'s feature space)";
        }
    }

    /** Field evaluations per cost sample that rows 0..rows−1 of the feature objective make (beyond the fine path). */
    public static long featureRowEvaluations(int fine, long rows) {
        return rows * (fine - 1) - rows * (rows - 1) / 2;
    }

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
        return compute(model, fine, samples, costSeed, labels, Objective.STATE_L2, progress, cancel);
    }

    /** The cost matrix of an objective with the given labels; progress and cancel as above (and per row). */
    public static CostMatrix compute(FlowModel model, int fine, int samples, long costSeed, int[] labels,
                                     Objective objective, ProgressListener progress, CancellationToken cancel) {
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
        if (objective.features() != null) {
            return featureCosts(model, s, xs, vs, samples, labels, objective.features(), progress, cancel);
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

    private static CostMatrix featureCosts(FlowModel model, double[] s, double[][] xs, double[][] vs, int samples,
                                           int[] labels, FeatureExtractor fx, ProgressListener progress,
                                           CancellationToken cancel) {
        int fine = s.length - 1;
        int len = xs[0].length;
        int fd = fx.dim();
        double[][] target = new double[fine + 1][fd * samples];
        for (int j = 0; j <= fine; j++) {
            double[] p = xs[j].clone();
            if (j < fine) {
                double rest = s[fine] - s[j];
                for (int e = 0; e < len; e++) {
                    p[e] += rest * vs[j][e];
                }
            }
            fx.features(clipped(model, p), samples, target[j]);
        }
        CostMatrix c = new CostMatrix(fine + 1);
        double[] v = new double[len];
        double[] f = new double[fd * samples];
        for (int i = 0; i < fine; i++) {
            for (int j = i + 1; j <= fine; j++) {
                cancel.check();
                double h = s[j] - s[i];
                double[] x = new double[len];
                for (int e = 0; e < len; e++) {
                    x[e] = xs[i][e] + h * vs[i][e];
                }
                if (j < fine) {
                    model.velocity(x, samples, s[j], labels, v);
                    double rest = s[fine] - s[j];
                    for (int e = 0; e < len; e++) {
                        x[e] += rest * v[e];
                    }
                }
                fx.features(clipped(model, x), samples, f);
                double acc = 0;
                double[] t = target[j];
                for (int e = 0; e < f.length; e++) {
                    double r = f[e] - t[e];
                    acc += r * r;
                }
                c.set(i, j, acc / samples);
            }
            progress.progress(featureRowEvaluations(fine, i + 1), featureRowEvaluations(fine, fine),
                    PROGRESS_PREDICTIONS);
        }
        return c;
    }

    /** Images (C×H×W models) clipped to the pixel range [−1, 1], as a saved sample is; other samples as they are. */
    private static double[] clipped(FlowModel model, double[] x) {
        if (model.shape().length == 3) {
            for (int e = 0; e < x.length; e++) {
                x[e] = Math.max(-1, Math.min(1, x[e]));
            }
        }
        return x;
    }
}
