package org.flowbench.app.session;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.Bootstrap;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.Quantisation;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * FID of image samples against reference statistics, through the feature extractor the statistics were made with,
 * on samples quantised as the statistics declare ({@link Quantisation}). {@link #quick} is the FID of the streaming
 * statistics (one eigen-solve, after every batch); {@link #compute} adds a 95 % percentile-bootstrap interval over the
 * features kept so far (the first {@value #KEEP} samples). KID needs reference features, which a statistics file
 * does not hold, so it is not reported.
 */
final class FeatureQuality implements QualityEvaluator {
    static final int KEEP = 10_000;
    static final int REPLICATES = 50;

    private final FeatureExtractor extractor;
    private final Frechet.Reference reference;
    private final GaussianStats stats;
    private final String quantisation;
    private double[] features = new double[0];
    private int kept;

    FeatureQuality(FeatureExtractor extractor, ReferenceStats ref) {
        this.extractor = extractor;
        this.reference = ref.reference();
        this.stats = new GaussianStats(extractor.dim());
        this.quantisation = ref.identity().quantisation();
        Quantisation.quantises(quantisation); // an unknown label fails here, before the run
    }

    @Override
    public void add(double[] xs, int n) {
        int d = extractor.dim();
        double[] f = new double[n * d];
        // the samples as the reference was made: e.g. 8-bit levels for statistics of 8-bit images
        extractor.features(Quantisation.applied(quantisation, xs, xs.length), n, f);
        synchronized (this) {
            stats.addBatch(f, n);
            int take = Math.min(n, KEEP - kept);
            if (take > 0) {
                features = Arrays.copyOf(features, (kept + take) * d);
                System.arraycopy(f, 0, features, kept * d, take * d);
                kept += take;
            }
        }
    }

    @Override
    public Map<String, Double> quick() {
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

    @Override
    public Map<String, Double> compute() {
        GaussianStats s;
        double[] f;
        int n;
        synchronized (this) {
            s = stats.copy();
            f = features;
            n = kept;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (s.count() >= 2) {
            m.put("fid", reference.distanceTo(s));
        }
        if (n >= 2 && n == s.count()) {
            Bootstrap.Interval iv = Bootstrap.fid(reference, f, n, extractor.dim(), REPLICATES, 0x5EED);
            m.put("fidLow", iv.lo());
            m.put("fidHigh", iv.hi());
        }
        return m;
    }
}
