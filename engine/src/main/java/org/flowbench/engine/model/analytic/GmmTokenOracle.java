package org.flowbench.engine.model.analytic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.ArTokenModel;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;

/**
 * The oracle autoregressive token model of DiSA's premise test (docs/methods-disa.md): images are D scalar tokens
 * drawn from a Gaussian mixture Σ_k π_k N(μ_k, s_k² I), and the "backbone" and "head" are exact. Given the known
 * tokens O of an image, an unknown token i is a 1-D mixture with weights w_k ∝ π_k Π_{j∈O} N(x_j; μ_kj, s_k²) and
 * components N(μ_ki, s_k²); its context vector is (w_1..w_K, μ_1i..μ_Ki). The head is that mixture's exact
 * rectified-flow velocity (x_t = (1 − t)·noise + t·data, t = 0 noise):
 * <pre>
 * c_k = (1 − t)² + t² s_k²,   r_k ∝ w_k c_k^(−1/2) exp(−(x − tμ_k)²/(2c_k)),
 * v = Σ_k r_k [μ_k + (t s_k² − (1 − t))/c_k · (x − tμ_k)]
 * </pre>
 * No training, so every difference between head step counts is discretisation error alone.
 */
public final class GmmTokenOracle extends org.flowbench.engine.model.ArTokenFlowModel {
    private final String id;
    private final int tokens;
    private final double[] logPi;
    private final double[] s2;
    /** μ[k][i]. */
    private final double[][] mu;

    /**
     * The toy of the method reference's test plan: D = 16 tokens, K = 4 components, π = (0.1, 0.2, 0.3, 0.4), s =
     * (0.15, 0.25, 0.2, 0.3), μ_k ~ N(0, 1.5² I) drawn from {@code seed}.
     */
    public static GmmTokenOracle premiseToy(long seed) {
        return premiseToy("gmm-tokens(seed " + seed + ")", seed);
    }

    /** {@link #premiseToy(long)} under a reference (builtin:gmm-tokens is seed 0). */
    public static GmmTokenOracle premiseToy(String id, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] mu = new double[4][16];
        for (double[] m : mu) {
            for (int i = 0; i < m.length; i++) {
                m[i] = 1.5 * rng.nextGaussian();
            }
        }
        return new GmmTokenOracle(id, new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.15, 0.25, 0.2, 0.3}, mu);
    }

    public GmmTokenOracle(String id, double[] weights, double[] sd, double[][] means) {
        this.id = id;
        int k = weights.length;
        if (k == 0 || sd.length != k || means.length != k) {
            throw new FlowbenchException("a token mixture needs as many weights, widths and mean vectors");
        }
        this.tokens = means[0].length;
        this.logPi = new double[k];
        this.s2 = new double[k];
        this.mu = new double[k][];
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (int c = 0; c < k; c++) {
            if (!(weights[c] > 0) || !(sd[c] > 0) || means[c].length != tokens) {
                throw new FlowbenchException("component " + c + ": weight and width must be positive, means "
                        + tokens + " long");
            }
            logPi[c] = Math.log(weights[c] / total);
            s2[c] = sd[c] * sd[c];
            mu[c] = means[c].clone();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String hash() {
        StringBuilder spec = new StringBuilder("gmm-tokens");
        for (int c = 0; c < components(); c++) {
            spec.append(' ').append(logPi[c]).append(' ').append(s2[c]).append(java.util.Arrays.toString(mu[c]));
        }
        return org.flowbench.engine.model.pkg.ModelPackage.sha256(spec.toString().getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int[] shape() {
        return new int[] {tokens};
    }

    @Override
    public java.util.List<String> classNames() {
        return java.util.List.of();
    }

    /** Components. */
    public int components() {
        return logPi.length;
    }

    @Override
    public int tokens() {
        return tokens;
    }

    @Override
    public int tokenDim() {
        return 1;
    }

    @Override
    public int contextDim() {
        return 2 * components();
    }

    @Override
    public NoisePath headPath() {
        return Paths.RECTIFIED_FLOW;
    }

    @Override
    public Parameterization headParameterization() {
        return Parameterization.VELOCITY;
    }

    /** One exact sample: its component in {@code component[0]}, tokens in out. */
    public void sample(SplittableRandom rng, double[] out, int[] component) {
        double u = rng.nextDouble();
        int c = 0;
        double acc = Math.exp(logPi[0]);
        while (u >= acc && c < components() - 1) {
            c++;
            acc += Math.exp(logPi[c]);
        }
        component[0] = c;
        double s = Math.sqrt(s2[c]);
        for (int i = 0; i < tokens; i++) {
            out[i] = mu[c][i] + s * rng.nextGaussian();
        }
    }

    /** The most probable component of a full image (for mode proportions). */
    public int mode(double[] x, int off) {
        int best = 0;
        double bestLl = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < components(); c++) {
            double ll = logPi[c] - 0.5 * tokens * Math.log(s2[c]);
            for (int i = 0; i < tokens; i++) {
                double e = x[off + i] - mu[c][i];
                ll -= e * e / (2 * s2[c]);
            }
            if (ll > bestLl) {
                bestLl = ll;
                best = c;
            }
        }
        return best;
    }

    /** Mixture weights π_k. */
    public double[] weights() {
        double[] w = new double[components()];
        for (int c = 0; c < w.length; c++) {
            w[c] = Math.exp(logPi[c]);
        }
        return w;
    }

    /**
     * Context of every token of one image whose tokens {@code x[off..off+D)} are known where {@code known} is set:
     * D rows of (w_1..w_K, μ_1i..μ_Ki) written to ctx at ctxOff.
     */
    public void context(double[] x, int off, boolean[] known, int knownOff, double[] ctx, int ctxOff) {
        int k = components();
        double[] lw = logPi.clone();
        for (int j = 0; j < tokens; j++) {
            if (known[knownOff + j]) {
                for (int c = 0; c < k; c++) {
                    double e = x[off + j] - mu[c][j];
                    lw[c] += -0.5 * Math.log(2 * Math.PI * s2[c]) - e * e / (2 * s2[c]);
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : lw) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            lw[c] = Math.exp(lw[c] - max);
            sum += lw[c];
        }
        for (int i = 0; i < tokens; i++) {
            int row = ctxOff + i * 2 * k;
            for (int c = 0; c < k; c++) {
                ctx[row + c] = lw[c] / sum;
                ctx[row + k + c] = mu[c][i];
            }
        }
    }

    /** The exact head velocity of one token at x, time t, given its context row. */
    public double velocity(double x, double t, double[] ctx, int row) {
        int k = components();
        double maxLog = Double.NEGATIVE_INFINITY;
        double[] lr = new double[k];
        double[] ck = new double[k];
        for (int c = 0; c < k; c++) {
            double w = ctx[row + c];
            ck[c] = (1 - t) * (1 - t) + t * t * s2[c];
            double e = x - t * ctx[row + k + c];
            lr[c] = w > 0 ? Math.log(w) - 0.5 * Math.log(ck[c]) - e * e / (2 * ck[c]) : Double.NEGATIVE_INFINITY;
            maxLog = Math.max(maxLog, lr[c]);
        }
        double num = 0;
        double den = 0;
        for (int c = 0; c < k; c++) {
            if (lr[c] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double r = Math.exp(lr[c] - maxLog);
            double m = ctx[row + k + c];
            num += r * (m + (t * s2[c] - (1 - t)) / ck[c] * (x - t * m));
            den += r;
        }
        return num / den;
    }

    @Override
    public double[] context(double[] x, double[] known, int n, Condition[] c) {
        boolean[] k = new boolean[known.length];
        for (int i = 0; i < known.length; i++) {
            k[i] = known[i] != 0;
        }
        double[] ctx = new double[n * tokens * contextDim()];
        for (int i = 0; i < n; i++) {
            context(x, i * tokens, k, i * tokens, ctx, i * tokens * contextDim());
        }
        return ctx;
    }

    @Override
    public double[] head(double[] x, double[] t, double[] ctx) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = velocity(x[i], t[i], ctx, i * contextDim());
        }
        return v;
    }

    @Override
    public NDArray context(NDArray tokenValues, NDArray known, Condition[] c) {
        int n = (int) tokenValues.getShape().get(0);
        double[] ctx = context(tokenValues.toType(DataType.FLOAT64, false).toDoubleArray(),
                known.toType(DataType.FLOAT64, false).toDoubleArray(), n, c);
        return tokenValues.getManager().create(ctx, new Shape(n, tokens, contextDim()));
    }

    @Override
    public NDArray head(NDArray noisyTokens, double[] t, NDArray contexts) {
        double[] v = head(noisyTokens.toType(DataType.FLOAT64, false).toDoubleArray(), t,
                contexts.toType(DataType.FLOAT64, false).toDoubleArray());
        return noisyTokens.getManager().create(v, noisyTokens.getShape());
    }
}
