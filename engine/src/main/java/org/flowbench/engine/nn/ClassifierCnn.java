package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A classifier CNN for 1×28×28 images (architecture {@code classifier-cnn-v1}): two k×k conv + ReLU pairs per level
 * (32 then 64 channels, k = 3, by default) with 2×2 max pooling, a ReLU feature layer (128 units by default: the
 * features used for FID), and a linear layer to the class logits. Its log-softmax is differentiable in the input, so
 * it can serve as a reward. Widths, kernel and feature size are part of the package's config, so a second classifier
 * of another shape (the held-out judge) is the same code.
 */
public final class ClassifierCnn {
    public static final String ARCHITECTURE = "classifier-cnn-v1";
    /** Feature size of the default (built-in) classifier. */
    public static final int FEATURES = 128;

    private final int classes;
    private final int channels1;
    private final int channels2;
    private final int kernel;
    private final int features;

    public ClassifierCnn(int classes) {
        this(classes, 32, 64, 3, FEATURES);
    }

    public ClassifierCnn(int classes, int channels1, int channels2, int kernel, int features) {
        if (classes < 2 || channels1 < 1 || channels2 < 1 || kernel < 1 || kernel % 2 == 0 || features < 1) {
            throw new org.flowbench.engine.FlowbenchException("classifier shape: " + classes + " classes, channels "
                    + channels1 + "/" + channels2 + ", kernel " + kernel + ", features " + features
                    + " (needs ≥ 2 classes, positive widths and an odd kernel)");
        }
        this.classes = classes;
        this.channels1 = channels1;
        this.channels2 = channels2;
        this.kernel = kernel;
        this.features = features;
    }

    /** From a package config; keys absent in older packages take the built-in classifier's values. */
    public static ClassifierCnn fromConfig(Map<String, Object> cfg) {
        int[] ch = {32, 64};
        if (cfg.get("channels") instanceof java.util.List<?> l && l.size() == 2) {
            ch = new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
        }
        return new ClassifierCnn(((Number) cfg.get("classes")).intValue(), ch[0], ch[1],
                cfg.get("kernel") instanceof Number k ? k.intValue() : 3,
                cfg.get("features") instanceof Number f ? f.intValue() : FEATURES);
    }

    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", classes);
        m.put("features", features);
        m.put("channels", java.util.List.of(channels1, channels2));
        m.put("kernel", kernel);
        return m;
    }

    public int classes() {
        return classes;
    }

    /** Size of the feature layer. */
    public int featureSize() {
        return features;
    }

    public ParamStore init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamStore s = new ParamStore();
        Layers.declareConv(s, "conv1", 1, channels1, kernel, rng, 1.0);
        Layers.declareConv(s, "conv2", channels1, channels1, kernel, rng, 1.0);
        Layers.declareConv(s, "conv3", channels1, channels2, kernel, rng, 1.0);
        Layers.declareConv(s, "conv4", channels2, channels2, kernel, rng, 1.0);
        Layers.declareLinear(s, "fc", channels2 * 7 * 7, features, rng, true);
        Layers.declareLinear(s, "head", features, classes, rng, true);
        return s;
    }

    /** The penultimate features (128-d for the built-in classifier) for x [n, 1, 28, 28] in [−1, 1]. */
    public NDArray features(NDParams p, NDArray x) {
        java.util.List<NDArray> maps = maps(p, x);
        NDArray h = Layers.maxPool2(maps.get(3));
        return Layers.relu(Layers.linear(p, "fc", h.reshape(h.getShape().get(0), -1)));
    }

    /**
     * The four convolutional feature maps (after each ReLU, before pooling): 32 × 28², 32 × 28², 64 × 14², 64 × 14²
     * for a 28 × 28 input. A perceptual distance compares images on these, as LPIPS does on VGG's.
     */
    public java.util.List<NDArray> maps(NDParams p, NDArray x) {
        NDArray h1 = Layers.relu(Layers.conv(p, "conv1", x));
        NDArray h2 = Layers.relu(Layers.conv(p, "conv2", h1));
        NDArray h3 = Layers.relu(Layers.conv(p, "conv3", Layers.maxPool2(h2)));
        NDArray h4 = Layers.relu(Layers.conv(p, "conv4", h3));
        return java.util.List.of(h1, h2, h3, h4);
    }

    public NDArray logits(NDParams p, NDArray features) {
        return Layers.linear(p, "head", features);
    }
}
