package org.flowbench.engine.metrics;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * Resolves a feature-extractor spec: {@code identity}, {@code torchscript:<file>[?mode=clean|legacy|none][&size=S]}, or anything a
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
            int q = rest.lastIndexOf('?');
            int resize = 0;
            TorchScriptFeatures.Mode mode = null;
            if (q >= 0) {
                for (String kv : rest.substring(q + 1).split("&")) {
                    String[] p = kv.split("=", 2);
                    if (p.length == 2 && p[0].equals("size")) {
                        try {
                            resize = Integer.parseInt(p[1]);
                        } catch (NumberFormatException e) {
                            resize = -1;
                        }
                        if (resize < 1) {
                            throw new FlowbenchException("bad resize in feature spec '" + spec + "'",
                                    "use torchscript:FILE?mode=clean&size=299");
                        }
                    } else if (p.length == 2 && p[0].equals("mode")) {
                        mode = TorchScriptFeatures.Mode.of(p[1]);
                    } else {
                        throw new FlowbenchException("unknown option '" + kv + "' in feature spec '" + spec + "'",
                                "options: mode=clean|legacy|none, size=S");
                    }
                }
                rest = rest.substring(0, q);
            }
            if (mode == null) {
                mode = resize > 0 ? TorchScriptFeatures.Mode.LEGACY : TorchScriptFeatures.Mode.NONE;
            }
            return new TorchScriptFeatures(Path.of(rest), imageShape, mode, resize);
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
