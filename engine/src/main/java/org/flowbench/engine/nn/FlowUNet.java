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

    /**
     * The sinusoid arguments {@code timeScale·t·f_k} (n × 32), computed here in double and rounded once, as
     * {@link #forward} does, so that the graph of {@link #toOnnx} sees exactly the same inputs.
     */
    public float[] timeArguments(float[] t) {
        int half = freqDim / 2;
        float[] args = new float[t.length * half];
        for (int i = 0; i < t.length; i++) {
            for (int k = 0; k < half; k++) {
                double f = Math.exp(-Math.log(10000.0) * k / half);
                args[i * half + k] = (float) (timeScale * t[i] * f);
            }
        }
        return args;
    }

    /** Values per image of {@link #timeArguments}. */
    public int timeArgumentWidth() {
        return freqDim / 2;
    }

    /** Labels for the graph of {@link #toOnnx}: −1 and out-of-range labels become the null class. */
    public long[] graphLabels(int[] labels, int n) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = labels == null || labels[i] < 0 || labels[i] >= classes ? classes : labels[i];
        }
        return l;
    }

    /**
     * This network with these weights as an ONNX graph, node for node what {@link #forward} computes: inputs
     * {@code x} [n, 1, h, w], {@code args} [n, 32] ({@link #timeArguments}) and {@code labels} [n] int64
     * ({@link #graphLabels}); output {@code v} [n, 1, h, w]. GroupNorm is the usual reshape, instance norm, reshape,
     * affine; SiLU is x·sigmoid(x), which ONNX Runtime fuses.
     */
    public byte[] toOnnx(NDParams p, int h, int w) {
        OnnxGraph g = new OnnxGraph();
        for (Map.Entry<String, NDArray> e : p.arrays().entrySet()) {
            g.constant(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        GraphOps o = new GraphOps(g, p, h, w);
        String x = g.floatInput("x", 1, h, w);
        String args = g.floatInput("args", freqDim / 2);
        String labels = g.int64Input("labels");
        String temb = g.op("Concat", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("axis", 1)},
                g.op("Sin", args), g.op("Cos", args));
        temb = o.linear("temb.1", o.silu(o.linear("temb.0", temb)));
        String e = o.silu(g.op("Add", temb, g.op("Gather", "label.weight", labels)));
        String h0 = o.block("down0", o.conv("in", x), e, 1);
        String h1 = o.block("down1", o.avgPool2(h0), e, 2);
        String h2 = o.block("down2", o.avgPool2(h1), e, 4);
        String hm = o.block("mid", h2, e, 4);
        hm = o.block("up2", o.concat(hm, h2), e, 4);
        hm = o.block("up1", o.concat(o.upsample2(hm), h1), e, 2);
        hm = o.block("up0", o.concat(o.upsample2(hm), h0), e, 1);
        g.opTo("v", "Conv", o.convAttrs("out"), o.silu(o.groupNorm("out.norm", hm, 1)), "out.weight", "out.bias");
        g.floatOutput("v", 1, h, w);
        return g.toBytes("flowbench " + ARCHITECTURE);
    }

    /** The graph counterparts of {@link Layers}; kernel sizes and channel counts are read from the weights. */
    private final class GraphOps {
        private final OnnxGraph g;
        private final NDParams p;
        private final int h;
        private final int w;
        private String upsampleScales;

        GraphOps(OnnxGraph g, NDParams p, int h, int w) {
            this.g = g;
            this.p = p;
            this.h = h;
            this.w = w;
        }

        private long dim(String param, int axis) {
            return p.get(param).getShape().get(axis);
        }

        OnnxGraph.Attr[] convAttrs(String name) {
            long pad = dim(name + ".weight", 2) / 2;
            return new OnnxGraph.Attr[] {OnnxGraph.Attr.ints("pads", pad, pad, pad, pad)};
        }

        String conv(String name, String x) {
            return g.op("Conv", convAttrs(name), x, name + ".weight", name + ".bias");
        }

        String linear(String name, String x) {
            return g.op("Gemm", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("transB", 1)}, x, name + ".weight",
                    name + ".bias");
        }

        String silu(String x) {
            return g.op("Mul", x, g.op("Sigmoid", x));
        }

        /** GroupNorm of x at 1/level of the image's resolution. */
        String groupNorm(String name, String x, int level) {
            long c = dim(name + ".weight", 0);
            String grouped = g.op("Reshape", x, g.constant(name + ".grouped", new long[] {0, groups, -1}));
            float[] ones = new float[groups];
            java.util.Arrays.fill(ones, 1f);
            String normed = g.op("InstanceNormalization",
                    new OnnxGraph.Attr[] {OnnxGraph.Attr.f("epsilon", 1e-5f)}, grouped,
                    g.constant(name + ".unit", new long[] {groups}, ones),
                    g.constant(name + ".zero", new long[] {groups}, new float[groups]));
            String back = g.op("Reshape", normed,
                    g.constant(name + ".shape", new long[] {0, c, h / level, w / level}));
            String perChannel = g.constant(name + ".affine", new long[] {c, 1, 1});
            return g.op("Add", g.op("Mul", back, g.op("Reshape", name + ".weight", perChannel)),
                    g.op("Reshape", name + ".bias", perChannel));
        }

        String block(String n, String x, String e, int level) {
            String hh = conv(n + ".conv1", silu(groupNorm(n + ".norm1", x, level)));
            String shift = g.op("Reshape", linear(n + ".emb", e),
                    g.constant(n + ".emb.shape", new long[] {0, dim(n + ".emb.weight", 0), 1, 1}));
            hh = conv(n + ".conv2", silu(groupNorm(n + ".norm2", g.op("Add", hh, shift), level)));
            String skip = p.arrays().containsKey(n + ".skip.weight") ? conv(n + ".skip", x) : x;
            return g.op("Add", skip, hh);
        }

        String avgPool2(String x) {
            return g.op("AveragePool", new OnnxGraph.Attr[] {OnnxGraph.Attr.ints("kernel_shape", 2, 2),
                    OnnxGraph.Attr.ints("strides", 2, 2)}, x);
        }

        /** Nearest ×2: output pixel (i, j) reads input (⌊i/2⌋, ⌊j/2⌋), as {@link Layers#upsample2}. */
        String upsample2(String x) {
            if (upsampleScales == null) {
                upsampleScales = g.constant("upsample.scales", new long[] {4}, new float[] {1f, 1f, 2f, 2f});
            }
            return g.op("Resize", new OnnxGraph.Attr[] {OnnxGraph.Attr.s("mode", "nearest"),
                    OnnxGraph.Attr.s("coordinate_transformation_mode", "asymmetric"),
                    OnnxGraph.Attr.s("nearest_mode", "floor")}, x, "", upsampleScales);
        }

        String concat(String a, String b) {
            return g.op("Concat", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("axis", 1)}, a, b);
        }
    }

    private NDArray embedding(NDParams p, NDManager m, float[] t, int[] labels) {
        int n = t.length;
        NDArray a = m.create(timeArguments(t), new Shape(n, freqDim / 2));
        NDArray temb = NDArrays.concat(new NDList(a.sin(), a.cos()), 1);
        temb = Layers.linear(p, "temb.1", Layers.silu(Layers.linear(p, "temb.0", temb)));
        float[] onehot = new float[n * (classes + 1)];
        long[] l = graphLabels(labels, n);
        for (int i = 0; i < n; i++) {
            onehot[i * (classes + 1) + (int) l[i]] = 1f;
        }
        return Layers.silu(temb.add(m.create(onehot, new Shape(n, classes + 1)).matMul(p.get("label.weight"))));
    }
}
