package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small class-conditional UNet velocity network for 1×28×28 images (architecture {@code flow-unet-v1}).
 *
 * <p>Levels 28 → 14 → 7 with channels (c0, c1, c2) = (16, 48, 64) for Fashion-MNIST, one residual block per level down and up, one in the middle;
 * residual blocks are GroupNorm → SiLU → 3×3 conv, plus a per-channel shift from the embedding, → GroupNorm → SiLU →
 * 3×3 conv, with a 1×1 skip when channels change. Downsampling is 2×2 average pooling, upsampling nearest-neighbour
 * repeat (DJL's PyTorch engine has no transposed convolution). The embedding is the sum of an MLP of a sinusoidal
 * embedding of {@code timeScale·t} and a learned embedding of the label, where label {@code classes} (one past the
 * last class) is the null class used for classifier-free guidance. The output convolution starts at zero.
 */
public final class FlowUNet {
    public static final String ARCHITECTURE = "flow-unet-v1";

    private final int c0;
    private final int c1;
    private final int c2;
    private final int emb;
    private final int classes;
    private final double timeScale;
    private final int groups = 8;
    private final int freqDim = 64;

    public FlowUNet(int c0, int c1, int c2, int emb, int classes, double timeScale) {
        this.c0 = c0;
        this.c1 = c1;
        this.c2 = c2;
        this.emb = emb;
        this.classes = classes;
        this.timeScale = timeScale;
    }

    public static FlowUNet fashion() {
        return new FlowUNet(16, 48, 64, 128, 10, 1000.0);
    }

    public static FlowUNet fromConfig(Map<String, Object> cfg) {
        java.util.List<?> ch = (java.util.List<?>) cfg.get("channels");
        return new FlowUNet(((Number) ch.get(0)).intValue(), ((Number) ch.get(1)).intValue(),
                ((Number) ch.get(2)).intValue(), ((Number) cfg.get("emb")).intValue(),
                ((Number) cfg.get("classes")).intValue(), ((Number) cfg.get("timeScale")).doubleValue());
    }

    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", java.util.List.of(c0, c1, c2));
        m.put("emb", emb);
        m.put("classes", classes);
        m.put("timeScale", timeScale);
        m.put("groups", groups);
        return m;
    }

    public int classes() {
        return classes;
    }

    /** The null-class label index. */
    public int nullClass() {
        return classes;
    }

    public double timeScale() {
        return timeScale;
    }

    public ParamStore init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamStore s = new ParamStore();
        Layers.declareLinear(s, "temb.0", freqDim, emb, rng, true);
        Layers.declareLinear(s, "temb.1", emb, emb, rng, true);
        s.uniform("label.weight", new int[] {classes + 1, emb}, 1, 0.5, rng);
        Layers.declareConv(s, "in", 1, c0, 3, rng, 1.0);
        block(s, "down0", c0, c0, rng);
        block(s, "down1", c0, c1, rng);
        block(s, "down2", c1, c2, rng);
        block(s, "mid", c2, c2, rng);
        block(s, "up2", 2 * c2, c2, rng);
        block(s, "up1", c2 + c1, c1, rng);
        block(s, "up0", c1 + c0, c0, rng);
        Layers.declareNorm(s, "out.norm", c0);
        Layers.declareConv(s, "out", c0, 1, 3, rng, 0.0);
        return s;
    }

    private void block(ParamStore s, String n, int cin, int cout, SplittableRandom rng) {
        Layers.declareNorm(s, n + ".norm1", cin);
        Layers.declareConv(s, n + ".conv1", cin, cout, 3, rng, 1.0);
        Layers.declareLinear(s, n + ".emb", emb, cout, rng, true);
        Layers.declareNorm(s, n + ".norm2", cout);
        Layers.declareConv(s, n + ".conv2", cout, cout, 3, rng, 1.0);
        if (cin != cout) {
            Layers.declareConv(s, n + ".skip", cin, cout, 1, rng, 1.0);
        }
    }

    private NDArray block(NDParams p, String n, NDArray x, NDArray e) {
        NDArray h = Layers.conv(p, n + ".conv1", Layers.silu(Layers.groupNorm(p, n + ".norm1", x, groups)));
        NDArray shift = Layers.linear(p, n + ".emb", e);
        h = h.add(shift.reshape(shift.getShape().get(0), shift.getShape().get(1), 1, 1));
        h = Layers.conv(p, n + ".conv2", Layers.silu(Layers.groupNorm(p, n + ".norm2", h, groups)));
        NDArray skip = p.arrays().containsKey(n + ".skip.weight") ? Layers.conv(p, n + ".skip", x) : x;
        return skip.add(h);
    }

    /**
     * Velocity for x [n, 1, 28, 28] at per-sample times t (generation time, 0 = noise) with labels in 0..classes−1
     * or −1 / {@code classes} for the null class.
     */
    public NDArray forward(NDParams p, NDArray x, float[] t, int[] labels) {
        NDArray e = embedding(p, x.getManager(), t, labels);
        NDArray h0 = block(p, "down0", Layers.conv(p, "in", x), e);          // c0 × 28
        NDArray h1 = block(p, "down1", Layers.avgPool2(h0), e);              // c1 × 14
        NDArray h2 = block(p, "down2", Layers.avgPool2(h1), e);              // c2 × 7
        NDArray h = block(p, "mid", h2, e);
        h = block(p, "up2", Layers.concatChannels(h, h2), e);               // c2 × 7
        h = block(p, "up1", Layers.concatChannels(Layers.upsample2(h), h1), e); // c1 × 14
        h = block(p, "up0", Layers.concatChannels(Layers.upsample2(h), h0), e); // c0 × 28
        return Layers.conv(p, "out", Layers.silu(Layers.groupNorm(p, "out.norm", h, groups)));
    }

    /**
     * The encoder's deepest features: the middle block's output (c2 × 7 × 7 for 28 × 28 inputs), a backbone for
     * discriminator heads (NitroFusion reads a frozen teacher this way).
     */
    public NDArray middleFeatures(NDParams p, NDArray x, float[] t, int[] labels) {
        NDArray e = embedding(p, x.getManager(), t, labels);
        NDArray h0 = block(p, "down0", Layers.conv(p, "in", x), e);
        NDArray h1 = block(p, "down1", Layers.avgPool2(h0), e);
        return block(p, "mid", block(p, "down2", Layers.avgPool2(h1), e), e);
    }

    /** Channels of {@link #middleFeatures}. */
    public int middleChannels() {
        return c2;
    }

    private NDArray embedding(NDParams p, NDManager m, float[] t, int[] labels) {
        int n = t.length;
        int half = freqDim / 2;
        float[] args = new float[n * half];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < half; k++) {
                double f = Math.exp(-Math.log(10000.0) * k / half);
                args[i * half + k] = (float) (timeScale * t[i] * f);
            }
        }
        NDArray a = m.create(args, new Shape(n, half));
        NDArray temb = NDArrays.concat(new NDList(a.sin(), a.cos()), 1);
        temb = Layers.linear(p, "temb.1", Layers.silu(Layers.linear(p, "temb.0", temb)));
        float[] onehot = new float[n * (classes + 1)];
        for (int i = 0; i < n; i++) {
            int l = labels == null || labels[i] < 0 || labels[i] >= classes ? classes : labels[i];
            onehot[i * (classes + 1) + l] = 1f;
        }
        return Layers.silu(temb.add(m.create(onehot, new Shape(n, classes + 1)).matMul(p.get("label.weight"))));
    }
}
