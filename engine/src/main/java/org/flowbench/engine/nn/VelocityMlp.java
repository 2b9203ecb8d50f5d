package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small velocity network for low-dimensional flows: input (x, t) ∈ R^{d+1}, two hidden SiLU layers, output
 * v ∈ R^d (for the BOSS toy: 3 → 128 → 128 → 2). {@link #forward} builds the DJL graph (training);
 * {@link #evaluate} runs the same function on the Java heap in double precision from float32 weights (sampling,
 * where a tiny network is cheaper without native calls).
 */
public final class VelocityMlp {
    public static final String ARCHITECTURE = "velocity-mlp/1";
    private final int dim;
    private final int hidden;

    public VelocityMlp(int dim, int hidden) {
        this.dim = dim;
        this.hidden = hidden;
    }

    public static VelocityMlp fromConfig(Map<String, Object> c) {
        return new VelocityMlp(((Number) c.get("dim")).intValue(), ((Number) c.get("hidden")).intValue());
    }

    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dim", dim);
        c.put("hidden", hidden);
        c.put("activation", "silu");
        c.put("layers", java.util.List.of(dim + 1, hidden, hidden, dim));
        return c;
    }

    public int dim() {
        return dim;
    }

    public ParamStore init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamStore s = new ParamStore();
        Layers.declareLinear(s, "l1", dim + 1, hidden, rng, true);
        Layers.declareLinear(s, "l2", hidden, hidden, rng, true);
        Layers.declareLinear(s, "l3", hidden, dim, rng, true);
        return s;
    }

    /** v for a batch [n, d + 1] of (x, t) rows. */
    public NDArray forward(NDParams p, NDArray xt) {
        NDArray h = Layers.silu(Layers.linear(p, "l1", xt));
        h = Layers.silu(Layers.linear(p, "l2", h));
        return Layers.linear(p, "l3", h);
    }

    /** The same function in double precision: out (n × d) = v(x_i, t_i). */
    public void evaluate(ParamStore w, double[] x, int n, double[] t, double[] out) {
        float[] w1 = w.get("l1.weight");
        float[] b1 = w.get("l1.bias");
        float[] w2 = w.get("l2.weight");
        float[] b2 = w.get("l2.bias");
        float[] w3 = w.get("l3.weight");
        float[] b3 = w.get("l3.bias");
        int in = dim + 1;
        double[] h1 = new double[hidden];
        double[] h2 = new double[hidden];
        double[] row = new double[in];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * dim, row, 0, dim);
            row[dim] = t[i];
            for (int o = 0; o < hidden; o++) {
                double a = b1[o];
                int off = o * in;
                for (int k = 0; k < in; k++) {
                    a += w1[off + k] * row[k];
                }
                h1[o] = a / (1 + Math.exp(-a));
            }
            for (int o = 0; o < hidden; o++) {
                double a = b2[o];
                int off = o * hidden;
                for (int k = 0; k < hidden; k++) {
                    a += w2[off + k] * h1[k];
                }
                h2[o] = a / (1 + Math.exp(-a));
            }
            for (int o = 0; o < dim; o++) {
                double a = b3[o];
                int off = o * hidden;
                for (int k = 0; k < hidden; k++) {
                    a += w3[off + k] * h2[k];
                }
                out[i * dim + o] = a;
            }
        }
    }
}
