package org.flowbench.app.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.metrics.FeatureExtractors;
import org.flowbench.engine.metrics.KidEstimator;
import org.flowbench.engine.metrics.Quantisation;
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
        return forModel(model, referenceStats, 0);
    }

    /**
     * A lane's evaluator: exact figures against a model that knows its distribution (its images take the classes of
     * {@code cycle} in turn), else {@link #forModel}; for the images from {@code firstImage} on (a sweep's shard).
     */
    static QualityEvaluator forLane(FlowModel model, int[] cycle, String referenceStats, long firstImage) {
        java.util.Optional<org.flowbench.engine.model.KnownDistribution> known =
                model.as(org.flowbench.engine.model.KnownDistribution.class);
        if (known.isPresent()) {
            return new AnalyticQuality(known.get(), cycle).startingAt(firstImage);
        }
        return forModel(model, referenceStats, firstImage);
    }

    private static QualityEvaluator forModel(FlowModel model, String referenceStats, long firstImage) {
        if (DEFAULT.equals(referenceStats) || ((referenceStats == null || referenceStats.isBlank()
                || referenceStats.equals("exact")) && model.shape().length == 3)) {
            java.util.Optional<Path> d = PackageResolver.defaultReferenceStats(model.id());
            if (d.isEmpty()) {
                return unavailable(model.id() + " declares no reference statistics (choose a .stats file)");
            }
            referenceStats = d.get().toString();
        }
        if (referenceStats != null && !referenceStats.isBlank() && !referenceStats.equals("exact")) {
            Reference r = Reference.parse(referenceStats);
            if (!Files.isRegularFile(r.file())) {
                throw new FlowbenchException("reference statistics " + r.file() + " do not exist",
                        "choose a stats file made with 'flowbench stats'");
            }
            ReferenceStats ref = ReferenceStats.read(r.file());
            if (!ref.measurementKnown()) {
                if (r.extractor() == null) {
                    throw new FlowbenchException(r.file().getFileName() + " does not say how its features were made",
                            "choose it again in the window and name its feature extractor, or give "
                                    + "'FILE.npz" + SEPARATOR + "EXTRACTOR' in the project");
                }
                FeatureExtractor fx = FeatureExtractors.resolve(r.extractor(), model.shape());
                // the .npz is taken at its word: made with this extractor, from 8-bit images as other tools do
                ref = ref.measuredAs(fx, model.shape().length == 3 ? Quantisation.UINT8 : Quantisation.FLOAT);
                return new FeatureQuality(fx, ref, null, firstImage);
            }
            FeatureExtractor fx = FeatureExtractors.resolve(ref.identity().extractor(), model.shape());
            return new FeatureQuality(fx, ref, kidReference(r.file(), ref), firstImage);
        }
        return unavailable("no reference statistics for " + model.id());
    }

    /** Separates an .npz reference from the extractor its features were made with, in a project's referenceStats. */
    public static final String SEPARATOR = "|";

    /**
     * A project's reference: a statistics file, and for statistics from other tools (.npz, which do not say how their
     * features were made) the feature extractor the user named: {@code FILE.npz|EXTRACTOR}.
     */
    public record Reference(Path file, String extractor) {
        public static Reference parse(String value) {
            int bar = value.lastIndexOf(SEPARATOR);
            return bar < 0 ? new Reference(Path.of(value), null)
                    : new Reference(Path.of(value.substring(0, bar)), value.substring(bar + SEPARATOR.length()));
        }

        @Override
        public String toString() {
            return file + (extractor == null ? "" : SEPARATOR + extractor);
        }
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

            @Override
            public QualityPart part() {
                return new QualityPart(0, 0, null, null, null, null, null);
            }

            @Override
            public void merge(QualityPart part) {}
        };
    }
}
