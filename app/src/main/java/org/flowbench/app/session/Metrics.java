package org.flowbench.app.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.metrics.FeatureExtractors;
import org.flowbench.engine.metrics.KidEstimator;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FeatureExtractor;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.pkg.PackageResolver;

/** Chooses the quality metrics a lane can measure for its model and reference statistics. */
public final class Metrics {
    /** The project's referenceStats value meaning "the statistics the model package declares". */
    public static final String DEFAULT = "default";

    private Metrics() {}

    /**
     * Image models: FID against a reference-statistics file (the project's {@code referenceStats}), with the feature
     * extractor named in the file. Without one, FID is reported as unavailable with the reason.
     */
    static QualityEvaluator forModel(FlowModel model, String referenceStats) {
        if (DEFAULT.equals(referenceStats) || ((referenceStats == null || referenceStats.isBlank()
                || referenceStats.equals("exact")) && model.shape().length == 3)) {
            java.util.Optional<Path> d = PackageResolver.defaultReferenceStats(model.id());
            if (d.isEmpty()) {
                return unavailable(model.id() + " declares no reference statistics (choose a .stats file)");
            }
            referenceStats = d.get().toString();
        }
        if (referenceStats != null && !referenceStats.isBlank() && !referenceStats.equals("exact")) {
            Path p = Path.of(referenceStats);
            if (!Files.isRegularFile(p)) {
                throw new FlowbenchException("reference statistics " + referenceStats + " do not exist",
                        "choose a stats file made with 'flowbench stats'");
            }
            ReferenceStats ref = ReferenceStats.read(p);
            FeatureExtractor fx = FeatureExtractors.resolve(ref.identity().extractor(), model.shape());
            return new FeatureQuality(fx, ref, kidReference(p, ref));
        }
        return unavailable("no reference statistics for " + model.id());
    }

    private static final Map<String, KidEstimator> KID_REFERENCES = new java.util.LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, KidEstimator> e) {
            return size() > 4;
        }
    };

    /**
     * One KID reference per statistics file (by path, size and modification time): lanes measured against the same
     * one can be compared pair by pair, and its kernel sums are computed once.
     */
    private static KidEstimator kidReference(Path file, ReferenceStats ref) {
        if (ref.kidFeatureCount() < 3) {
            return null;
        }
        String key;
        try {
            key = file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            return new KidEstimator(ref.kidFeatures(), ref.kidFeatureCount(), ref.dim());
        }
        synchronized (KID_REFERENCES) {
            return KID_REFERENCES.computeIfAbsent(key, k -> new KidEstimator(ref.kidFeatures(),
                    ref.kidFeatureCount(), ref.dim()));
        }
    }

    private static QualityEvaluator unavailable(String reason) {
        return new QualityEvaluator() {
            @Override
            public void add(double[] xs, int n) {}

            @Override
            public Map<String, Double> compute() {
                return Map.of();
            }

            @Override
            public String unavailableReason() {
                return reason;
            }
        };
    }
}
