package org.flowbench.engine.model.pkg;

import java.util.Arrays;
import java.util.Optional;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.metrics.FeatureExtractors;
import org.flowbench.engine.model.FeatureExtractor;

/** Feature-extractor provider for the built-in classifiers ({@code builtin:fashion-classifier}, {@code builtin:fashion-judge}) and {@code classifier:FOLDER}. */
public final class ClassifierFeatures implements FeatureExtractors.Provider {
    @Override
    public Optional<FeatureExtractor> create(String spec, int[] sampleShape) {
        java.nio.file.Path dir;
        if (spec.startsWith("builtin:") && PackageResolver.CLASSIFIERS.contains(spec.substring(8))) {
            dir = PackageResolver.builtinDir(spec.substring(8));
        } else if (spec.startsWith("classifier:")) {
            dir = java.nio.file.Path.of(spec.substring("classifier:".length()));
        } else {
            return Optional.empty();
        }
        ClassifierModel m = ClassifierModel.open(ModelPackage.open(dir));
        int[] want = {1, 28, 28};
        if (!Arrays.equals(sampleShape, want) && sampleShape.length > 0) {
            m.close();
            throw new FlowbenchException("the fashion classifier needs samples of shape [1, 28, 28], got "
                    + Arrays.toString(sampleShape));
        }
        return Optional.of(m);
    }
}
