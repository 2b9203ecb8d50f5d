package org.flowbench.samplers.disa;

import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.ArTokenModel;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;

/**
 * MAR's sampling loop with DiSA's head-step annealing, on any {@link ArTokenModel}: a random generation order per
 * image, the cosine mask schedule ({@link MaskSchedule}), and at AR step k one backbone call for the contexts of all
 * tokens, then the head integrates each newly sampled token from noise to data in T(k) Euler steps
 * ({@link HeadSteps}); tokens of one step are sampled independently given the shared context. With guidance w ≠ 1
 * the backbone also runs unconditioned and the head combines v_u + w_k (v_c − v_u) with MAR's linear guidance
 * schedule w_k. The temperature scales each token's starting noise (the flow-head analogue of MAR's scaled ancestral
 * noise). An image's order and noises depend only on (seed, image index), so images do not depend on the batch.
 */
public final class DisaLoop {
    static final int ORDER_STREAM = 40;

    private DisaLoop() {}

    /** The sampler's parameters: schedule (T_up, T_lo, strategy), K, guidance and temperature. */
    public record Settings(HeadSteps.Strategy schedule, int upper, int lower, int arSteps, double cfg,
                           double temperature) {
        public int headSteps(int k) {
            return HeadSteps.mar(schedule, k, arSteps, upper, lower);
        }
    }

    /**
     * Tokens [n × tokens × tokenDim] and the cost per image: backbone evaluations, head evaluations weighted by the
     * tokens each step samples, and sequential head steps Σ_k T(k) (the cost on hardware that runs a step's tokens
     * in parallel).
     */
    public record Result(double[] tokens, int backbonePerImage, long headPerImage, long sequentialHeadSteps) {}

    /** Called after every head step with the images of the call; may throw to cancel. */
    @FunctionalInterface
    public interface Hooks {
        void headStepDone(int images);
    }

    /** Images firstImage.. of a run, their token noises stream 0 of each image (as every sampler's starting noise). */
    public static Result sample(ArTokenModel m, long seed, long firstImage, int n, Condition[] c, Settings s,
                                CancellationToken cancel) {
        int d = m.tokens() * m.tokenDim();
        double[] noise = new double[n * d];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(seed, firstImage + i, 0, noise, i * d, d);
        }
        return sample(m, m.toTokens(noise, n), seed, firstImage, n, c, s, images -> cancel.check());
    }

    /** Samples n images whose tokens start from {@code noise} (n × tokens × tokenDim, standard normal). */
    public static Result sample(ArTokenModel m, double[] noise, long seed, long firstImage, int n, Condition[] c,
                                Settings s, Hooks hooks) {
        if (m.headParameterization() != Parameterization.VELOCITY) {
            throw new FlowbenchException("this DiSA loop integrates velocity heads; the model's head predicts "
                    + m.headParameterization());
        }
        int len = m.tokens();
        int dim = m.tokenDim();
        int cd = m.contextDim();
        int[] perStep = MaskSchedule.tokensPerStep(len, s.arSteps());
        boolean guided = s.cfg() != 1.0;
        int[][] order = new int[n][];
        for (int i = 0; i < n; i++) {
            order[i] = order(seed, firstImage + i, len);
        }
        double[] tokens = new double[n * len * dim];
        double[] known = new double[n * len];
        long head = 0;
        long sequential = 0;
        int pos = 0;
        for (int k = 0; k < s.arSteps(); k++) {
            int steps = s.headSteps(k);
            int fresh = perStep[k];
            double wk = guided ? MaskSchedule.linearGuidance(s.cfg(), len, len - pos - fresh) : 1.0;
            double[] ctx = m.context(tokens, known, n, c);
            double[] ctxU = guided ? m.context(tokens, known, n, Condition.of(null, n)) : null;
            int rows = n * fresh;
            double[] x = new double[rows * dim];
            double[] rowCtx = new double[rows * cd];
            double[] rowCtxU = guided ? new double[rows * cd] : null;
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < fresh; q++) {
                    int src = i * len + order[i][pos + q];
                    int r = i * fresh + q;
                    for (int e = 0; e < dim; e++) {
                        x[r * dim + e] = s.temperature() * noise[src * dim + e];
                    }
                    System.arraycopy(ctx, src * cd, rowCtx, r * cd, cd);
                    if (guided) {
                        System.arraycopy(ctxU, src * cd, rowCtxU, r * cd, cd);
                    }
                }
            }
            double[] t = new double[rows];
            for (int j = 0; j < steps; j++) {
                java.util.Arrays.fill(t, (double) j / steps);
                double[] v = m.head(x, t, rowCtx);
                if (guided) {
                    double[] vu = m.head(x, t, rowCtxU);
                    for (int e = 0; e < v.length; e++) {
                        v[e] = vu[e] + wk * (v[e] - vu[e]);
                    }
                }
                for (int e = 0; e < x.length; e++) {
                    x[e] += v[e] / steps;
                }
                hooks.headStepDone(n);
            }
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < fresh; q++) {
                    int tokenIndex = order[i][pos + q];
                    System.arraycopy(x, (i * fresh + q) * dim, tokens, (i * len + tokenIndex) * dim, dim);
                    known[i * len + tokenIndex] = 1;
                }
            }
            head += (long) fresh * steps;
            sequential += steps;
            pos += fresh;
        }
        int mult = guided ? 2 : 1;
        return new Result(tokens, mult * s.arSteps(), mult * head, sequential);
    }

    /** A uniformly random permutation of 0..len−1 for one image (Fisher–Yates on its own uniform stream). */
    static int[] order(long seed, long image, int len) {
        int[] p = new int[len];
        for (int i = 0; i < len; i++) {
            p[i] = i;
        }
        for (int i = len - 1; i > 0; i--) {
            int j = (int) Math.floor(NoiseSource.uniform(seed, image, ORDER_STREAM, i) * (i + 1));
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
