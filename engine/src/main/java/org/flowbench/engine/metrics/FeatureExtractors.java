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

    /** @param sampleShape the shape of one sample (e.g. {2} for points, {1, 28, 28} for images) */
    public static FeatureExtractor resolve(String spec, int[] sampleShape) {
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
            int[] shape = sampleShape;
            if (shape.length == 2) {
                shape = new int[] {1, shape[0], shape[1]};
            }
            return new TorchScriptFeatures(Path.of(rest), shape, resize);
        }
        for (Provider p : ServiceLoader.load(Provider.class)) {
            Optional<FeatureExtractor> fx = p.create(spec, sampleShape);
            if (fx.isPresent()) {
                return fx.get();
            }
        }
        throw new FlowbenchException("unknown feature extractor '" + spec + "'",
                "use identity, torchscript:FILE.pt or builtin:fashion-classifier");
    }
}
