package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A classifier CNN for 1×28×28 images (architecture {@code classifier-cnn-v1}): two 3×3 conv + ReLU pairs per level
 * (32 then 64 channels) with 2×2 max pooling, a 128-unit ReLU layer (the features used for FID), and a linear
 * layer to the class logits. Its log-softmax is differentiable in the input, so it can serve as a reward.
 */
public final class ClassifierCnn {
    public static final String ARCHITECTURE = "classifier-cnn-v1";
    public static final int FEATURES = 128;

    private final int classes;

    public ClassifierCnn(int classes) {
        this.classes = classes;
    }

    public static ClassifierCnn fromConfig(Map<String, Object> cfg) {
        return new ClassifierCnn(((Number) cfg.get("classes")).intValue());
    }

    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", classes);
        m.put("features", FEATURES);
        return m;
    }

    public int classes() {
        return classes;
    }

    public ParamStore init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamStore s = new ParamStore();
        Layers.declareConv(s, "conv1", 1, 32, 3, rng, 1.0);
        Layers.declareConv(s, "conv2", 32, 32, 3, rng, 1.0);
        Layers.declareConv(s, "conv3", 32, 64, 3, rng, 1.0);
        Layers.declareConv(s, "conv4", 64, 64, 3, rng, 1.0);
        Layers.declareLinear(s, "fc", 64 * 7 * 7, FEATURES, rng, true);
        Layers.declareLinear(s, "head", FEATURES, classes, rng, true);
        return s;
    }

    /** The 128-d penultimate features for x [n, 1, 28, 28] in [−1, 1]. */
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
