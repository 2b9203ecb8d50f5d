package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.Quantisation;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FeatureExtractor;

/** FID of image samples against reference statistics, through the feature extractor the statistics were made with. */
final class FeatureQuality implements QualityEvaluator {
    private final FeatureExtractor extractor;
    private final Frechet.Reference reference;
    private final GaussianStats stats;
    private final String quantisation;

    FeatureQuality(FeatureExtractor extractor, ReferenceStats ref) {
        this.extractor = extractor;
        this.quantisation = ref.identity().quantisation();
        Quantisation.quantises(quantisation); // an unknown label fails here, before the run
        this.reference = ref.reference();
        this.stats = new GaussianStats(extractor.dim());
    }

    @Override
    public void add(double[] xs, int n) {
        double[] f = new double[n * extractor.dim()];
        // the samples as the reference was made: e.g. 8-bit levels for statistics of 8-bit images
        extractor.features(Quantisation.applied(quantisation, xs, xs.length), n, f);
        synchronized (this) {
            stats.addBatch(f, n);
        }
    }

    @Override
    public Map<String, Double> compute() {
        GaussianStats s;
        synchronized (this) {
            s = stats.copy();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (s.count() >= 2) {
            m.put("fid", reference.distanceTo(s));
        }
        return m;
    }
}
