package org.flowbench.engine.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The capability interfaces a model may offer, with the words the CLI and the window use for them. */
public final class Capabilities {
    private static final Map<Class<?>, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(FlowModel.class, "a probability-flow field (velocity, score, denoiser)");
        NAMES.put(TensorField.class, "a field on tensors");
        NAMES.put(OneStepGenerator.class, "a one-step generator");
        NAMES.put(RewardModel.class, "a differentiable reward");
        NAMES.put(Classifier.class, "a classifier (class probabilities)");
        NAMES.put(ArTokenModel.class, "an autoregressive token model with a diffusion head");
        NAMES.put(FeatureExtractor.class, "a feature extractor");
        NAMES.put(KnownDistribution.class, "an exactly known distribution (analytic mixture)");
        NAMES.put(TrainableNetwork.class, "a built-in network that can be fine-tuned");
    }

    private Capabilities() {}

    /** A phrase for {@code capability} ("a one-step generator"), or its simple name if it is not a known one. */
    public static String describe(Class<?> capability) {
        return NAMES.getOrDefault(capability, capability.getSimpleName());
    }

    /** The known capabilities {@code model} offers, as phrases (for model lists and error messages). */
    public static List<String> of(Model model) {
        return NAMES.entrySet().stream().filter(e -> model.as(e.getKey()).isPresent()).map(Map.Entry::getValue)
                .toList();
    }
}
