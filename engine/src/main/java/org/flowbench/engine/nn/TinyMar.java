package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny MAR (architecture {@code mar-tiny-v1}, docs/methods-disa.md): images as L tokens of p×p patches, a
 * bidirectional MAE-style backbone that turns the known tokens into a context vector per token, and a per-token
 * flow-matching head (ADR 0010) that turns noise into a token's values given its context.
 *
 * <p>Backbone: token projection plus position embedding; one buffer token holding the class embedding (the class
 * count is the null class, used for guidance); {@code depth} pre-norm transformer blocks of the encoder, in which
 * masked tokens are neither keys nor values (so they cannot leak into known ones); the decoder replaces every masked
 * position by a learned mask token, adds its own position embedding and runs {@code depth} full-attention blocks;
 * its output plus a "diffusion position" embedding is the context. Head ({@code SimpleMLPAdaLN}): h = W_in x_t,
 * y = MLP(sinusoid(1000 t)) + W_c z, residual blocks h += gate ⊙ MLP(LN(h)(1 + scale) + shift) with (shift, scale,
 * gate) = Linear(SiLU(y)), a final adaptive norm and a linear output; every modulation and the output start at zero.
 */
public final class TinyMar {
    public static final String ARCHITECTURE = "mar-tiny-v1";

    private final int side;
    private final int patch;
    private final int width;
    private final int heads;
    private final int depth;
    private final int headWidth;
    private final int headBlocks;
    private final int classes;
    private final int freqDim = 64;

    public TinyMar(int side, int patch, int width, int heads, int depth, int headWidth, int headBlocks, int classes) {
        if (side % patch != 0 || width % heads != 0) {
            throw new IllegalArgumentException("patch must divide the side and heads the width");
        }
        this.side = side;
        this.patch = patch;
        this.width = width;
        this.heads = heads;
        this.depth = depth;
        this.headWidth = headWidth;
        this.headBlocks = headBlocks;
        this.classes = classes;
    }

    /** The Fashion-MNIST configuration: 49 tokens of 4×4 patches, width 64, 2 + 2 blocks, head 96 × 3. */
    public static TinyMar fashion() {
        return new TinyMar(28, 4, 64, 4, 2, 96, 3, 10);
    }

    public static TinyMar fromConfig(Map<String, Object> c) {
        return new TinyMar(num(c, "side"), num(c, "patch"), num(c, "width"), num(c, "heads"), num(c, "depth"),
                num(c, "headWidth"), num(c, "headBlocks"), num(c, "classes"));
    }

    private static int num(Map<String, Object> c, String k) {
        return ((Number) c.get(k)).intValue();
    }

    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", side);
        m.put("patch", patch);
        m.put("width", width);
        m.put("heads", heads);
        m.put("depth", depth);
        m.put("headWidth", headWidth);
        m.put("headBlocks", headBlocks);
        m.put("classes", classes);
        return m;
    }

    public int tokens() {
        return (side / patch) * (side / patch);
    }

    public int tokenDim() {
        return patch * patch;
    }

    public int contextDim() {
        return width;
    }

    public int classes() {
        return classes;
    }

    public ParamStore init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamStore s = new ParamStore();
        int l = tokens();
        Layers.declareLinear(s, "tok", tokenDim(), width, rng, true);
        // embeddings start small (uniform ±0.02, the scale of MAR's truncated-normal init)
        s.uniform("pos.enc", new int[] {l, width}, 2500, 1.0, rng);
        s.uniform("pos.dec", new int[] {l, width}, 2500, 1.0, rng);
        s.uniform("pos.diff", new int[] {l, width}, 2500, 1.0, rng);
        s.uniform("mask", new int[] {width}, 2500, 1.0, rng);
        s.uniform("class", new int[] {classes + 1, width}, 2500, 1.0, rng);
        for (String part : new String[] {"enc", "dec"}) {
            for (int b = 0; b < depth; b++) {
                String n = part + "." + b;
                Layers.declareNorm(s, n + ".ln1", width);
                Layers.declareLinear(s, n + ".qkv", width, 3 * width, rng, true);
                Layers.declareLinear(s, n + ".proj", width, width, rng, true);
                Layers.declareNorm(s, n + ".ln2", width);
                Layers.declareLinear(s, n + ".fc1", width, 4 * width, rng, true);
                Layers.declareLinear(s, n + ".fc2", 4 * width, width, rng, true);
            }
            Layers.declareNorm(s, part + ".ln", width);
        }
        Layers.declareLinear(s, "head.in", tokenDim(), headWidth, rng, true);
        Layers.declareLinear(s, "head.t0", freqDim, headWidth, rng, true);
        Layers.declareLinear(s, "head.t1", headWidth, headWidth, rng, true);
        Layers.declareLinear(s, "head.c", width, headWidth, rng, true);
        for (int b = 0; b < headBlocks; b++) {
            String n = "head." + b;
            s.constant(n + ".ada.weight", new int[] {3 * headWidth, headWidth}, 0f);
            s.constant(n + ".ada.bias", new int[] {3 * headWidth}, 0f);
            Layers.declareLinear(s, n + ".fc1", headWidth, headWidth, rng, true);
            Layers.declareLinear(s, n + ".fc2", headWidth, headWidth, rng, true);
        }
        s.constant("head.final.ada.weight", new int[] {2 * headWidth, headWidth}, 0f);
        s.constant("head.final.ada.bias", new int[] {2 * headWidth}, 0f);
        s.constant("head.out.weight", new int[] {tokenDim(), headWidth}, 0f);
        s.constant("head.out.bias", new int[] {tokenDim()}, 0f);
        return s;
    }

    /** Images [n, 1, side, side] (or flat n × side²) → tokens n × L × p² in row-major patch order. */
    public float[] tokenize(float[] images, int n) {
        int g = side / patch;
        int d = tokenDim();
        float[] t = new float[n * tokens() * d];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int token = (r / patch) * g + c / patch;
                    int e = (r % patch) * patch + c % patch;
                    t[(i * tokens() + token) * d + e] = images[i * side * side + r * side + c];
                }
            }
        }
        return t;
    }

    /** The inverse of {@link #tokenize}. */
    public double[] untokenize(double[] tokens, int n) {
        int g = side / patch;
        int d = tokenDim();
        double[] img = new double[n * side * side];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int token = (r / patch) * g + c / patch;
                    img[i * side * side + r * side + c] = tokens[(i * tokens() + token) * d + (r % patch) * patch
                            + c % patch];
                }
            }
        }
        return img;
    }

    /**
     * Contexts [n, L, width] for tokens [n, L, p²] of which {@code known} [n, L] (1 known, 0 masked) are given; labels
     * in 0..classes−1, or −1 / out of range for the null class.
     */
    public NDArray context(NDParams p, NDArray tokens, NDArray known, int[] labels) {
        NDManager m = tokens.getManager();
        long n = tokens.getShape().get(0);
        int l = tokens();
        NDArray k3 = known.reshape(n, l, 1);
        NDArray x = Layers.linear(p, "tok", tokens.mul(k3)).add(p.get("pos.enc"));
        NDArray buffer = classRows(p, m, labels, (int) n);
        x = NDArrays.concat(new NDList(buffer, x), 1);                              // [n, 1 + L, w]
        float[] bias = new float[(int) n * (l + 1)];
        float[] kn = known.toFloatArray();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l; j++) {
                bias[i * (l + 1) + 1 + j] = kn[i * l + j] != 0 ? 0f : -1e9f;
            }
        }
        NDArray keyBias = m.create(bias, new Shape(n, 1, 1, l + 1));
        for (int b = 0; b < depth; b++) {
            x = block(p, "enc." + b, x, keyBias);
        }
        x = layerNorm(x, p, "enc.ln");
        NDArray encoded = x.get(":, 1:, :");
        // the masked rows take the mask token; every result comes from the call's arrays, never from a parameter as
        // the receiver (a parameter's op result belongs to the model's long-lived manager and would never be freed)
        NDArray dec = encoded.mul(k3).add(k3.neg().add(1f).mul(p.reshaped("mask", 1, 1, width)))
                .add(p.get("pos.dec"));
        x = NDArrays.concat(new NDList(x.get(":, 0:1, :"), dec), 1);
        for (int b = 0; b < depth; b++) {
            x = block(p, "dec." + b, x, null);
        }
        return layerNorm(x, p, "dec.ln").get(":, 1:, :").add(p.get("pos.diff"));
    }

    /** The head's velocity for noisy tokens [m, p²] at times t (0 noise, 1 data) given contexts [m, width]. */
    public NDArray head(NDParams p, NDArray x, float[] t, NDArray z) {
        NDManager m = x.getManager();
        int half = freqDim / 2;
        float[] args = new float[t.length * half];
        for (int i = 0; i < t.length; i++) {
            for (int k = 0; k < half; k++) {
                args[i * half + k] = (float) (1000.0 * t[i] * Math.exp(-Math.log(10000.0) * k / half));
            }
        }
        NDArray a = m.create(args, new Shape(t.length, half));
        NDArray temb = NDArrays.concat(new NDList(a.sin(), a.cos()), 1);
        NDArray y = Layers.linear(p, "head.t1", Layers.silu(Layers.linear(p, "head.t0", temb)))
                .add(Layers.linear(p, "head.c", z));
        NDArray sy = Layers.silu(y);
        NDArray h = Layers.linear(p, "head.in", x);
        for (int b = 0; b < headBlocks; b++) {
            String n = "head." + b;
            NDList mod = Layers.linear(p, n + ".ada", sy).split(3, 1);
            NDArray u = plainNorm(h).mul(mod.get(1).add(1f)).add(mod.get(0));
            u = Layers.linear(p, n + ".fc2", Layers.silu(Layers.linear(p, n + ".fc1", u)));
            h = h.add(mod.get(2).mul(u));
        }
        NDList mod = Layers.linear(p, "head.final.ada", sy).split(2, 1);
        return Layers.linear(p, "head.out", plainNorm(h).mul(mod.get(1).add(1f)).add(mod.get(0)));
    }

    private NDArray classRows(NDParams p, NDManager m, int[] labels, int n) {
        float[] onehot = new float[n * (classes + 1)];
        for (int i = 0; i < n; i++) {
            int c = labels == null || labels[i] < 0 || labels[i] >= classes ? classes : labels[i];
            onehot[i * (classes + 1) + c] = 1f;
        }
        return m.create(onehot, new Shape(n, classes + 1)).matMul(p.get("class")).reshape(n, 1, width);
    }

    /** Pre-norm transformer block; keyBias [n, 1, 1, s] adds −1e9 to the logits of keys that must not be seen. */
    private NDArray block(NDParams p, String n, NDArray x, NDArray keyBias) {
        x = x.add(attention(p, n, layerNorm(x, p, n + ".ln1"), keyBias));
        NDArray h = Layers.linear(p, n + ".fc2", Layers.silu(Layers.linear(p, n + ".fc1", layerNorm(x, p, n + ".ln2"))));
        return x.add(h);
    }

    private NDArray attention(NDParams p, String n, NDArray x, NDArray keyBias) {
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        int dh = width / heads;
        NDList qkv = Layers.linear(p, n + ".qkv", x).reshape(b, s, 3, heads, dh).transpose(2, 0, 3, 1, 4).split(3, 0);
        NDArray q = qkv.get(0).squeeze(0);
        NDArray k = qkv.get(1).squeeze(0);
        NDArray v = qkv.get(2).squeeze(0);
        NDArray logits = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(dh));
        if (keyBias != null) {
            logits = logits.add(keyBias);
        }
        NDArray o = logits.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, s, width);
        return Layers.linear(p, n + ".proj", o);
    }

    private static NDArray layerNorm(NDArray x, NDParams p, String name) {
        return plainNorm(x).mul(p.get(name + ".weight")).add(p.get(name + ".bias"));
    }

    /** Layer norm over the last axis without affine, eps 1e-6 (the head's norms, as MAR's). */
    private static NDArray plainNorm(NDArray x) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray c = x.sub(mean);
        return c.div(c.square().mean(new int[] {-1}, true).add(1e-6f).sqrt());
    }

    /** Parameter count of a configuration (for cards and the size check). */
    public long parameterCount() {
        return init(0).count();
    }

    /** Names of the head's zero-initialised layers (tests check they start at zero). */
    public List<String> zeroInitialised() {
        List<String> z = new java.util.ArrayList<>();
        for (int b = 0; b < headBlocks; b++) {
            z.add("head." + b + ".ada.weight");
        }
        z.add("head.final.ada.weight");
        z.add("head.out.weight");
        return z;
    }
}
