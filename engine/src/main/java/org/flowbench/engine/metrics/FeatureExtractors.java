package org.flowbench.engine.metrics;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * Resolves a feature-extractor spec: {@code identity}, {@code torchscript:<file>[?size=S]}, or anything a
 * {@link Provider} registered with {@link ServiceLoader} accepts (e.g. {@code builtin:fashion-classifier}).
 */
public final class FeatureExtractors {
    /** Creates extractors for specs it recognises (service interface, for e.g. the built-in classifier). */
    public interface Provider {
        Optional<FeatureExtractor> create(String spec, int[] sampleShape);
    }

    private FeatureExtractors() {}

    /**
     * @param sampleShape the shape of one sample (e.g. {2} for points, {1, 28, 28} for images); a 2-D shape {H, W}
     *     (an NPY of shape [n, H, W]) is taken as one-channel images {1, H, W} for image extractors
     */
    public static FeatureExtractor resolve(String spec, int[] sampleShape) {
        int[] imageShape = sampleShape.length == 2 ? new int[] {1, sampleShape[0], sampleShape[1]} : sampleShape;
        int size = 1;
        for (int s : sampleShape) {
            size *= s;
        }
        if (spec.equals("identity")) {
            return new IdentityFeatures(size);
        }
        if (spec.startsWith("torchscript:")) {
            String rest = spec.substring("torchscript:".length());
            int resize = 0;
            int q = rest.lastIndexOf("?size=");
            if (q >= 0) {
                try {
                    resize = Integer.parseInt(rest.substring(q + 6));
                } catch (NumberFormatException e) {
                    throw new FlowbenchException("bad resize in feature spec '" + spec + "'", "use torchscript:FILE?size=299");
                }
                rest = rest.substring(0, q);
            }
            return new TorchScriptFeatures(Path.of(rest), imageShape, resize);
        }
        for (Provider p : ServiceLoader.load(Provider.class)) {
            Optional<FeatureExtractor> fx = p.create(spec, imageShape);
            if (fx.isPresent()) {
                return fx.get();
            }
        }
        throw new FlowbenchException("unknown feature extractor '" + spec + "'",
                "use identity, torchscript:FILE.pt or builtin:fashion-classifier");
    }
}
