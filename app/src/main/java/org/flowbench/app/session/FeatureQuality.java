package org.flowbench.app.session;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.Bootstrap;
import org.flowbench.engine.metrics.FidExtrapolation;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.KidEstimator;
import org.flowbench.engine.metrics.Quantisation;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * Quality of image samples against reference statistics, through the feature extractor the statistics were made
 * with, on samples quantised as the statistics declare ({@link Quantisation}). Every estimate is one that means
 * something at its N (docs/metrics.md):
 * <ul>
 * <li>KID (unbiased, so the same target at every N) with its jackknife interval, over the first {@value #KID_MAX}
 * samples, when the statistics file keeps reference features;
 * <li>FID with a 95 % bootstrap interval over the features kept so far (the first {@value #KEEP}), only from
 * N &gt; d: below the feature dimension the sample covariance is singular and FID is dominated by its bias, so it
 * is reported as not estimable ({@code fidMinN});
 * <li>from {@value FidExtrapolation#MIN_RUN} samples, FID∞ and the FID predicted at N = {@value #PREDICT_AT},
 * each with an interval, and the fit's R² ({@link FidExtrapolation}).
 * </ul>
 * {@link #quick} is the FID of the streaming statistics (one eigen-solve, after every batch).
 */
final class FeatureQuality implements QualityEvaluator {
    static final int KEEP = 10_000;
    static final int REPLICATES = 50;
    static final int KID_MAX = 2000;
    static final long PREDICT_AT = 10_000;
    static final double LEVEL = 0.95;

    private final FeatureExtractor extractor;
    private final Frechet.Reference reference;
    private final GaussianStats stats;
    private final FidExtrapolation extrapolation;
    private final KidEstimator kid;
    private final String quantisation;
    private double[] features = new double[0];
    private int kept;
    private final long firstImage;

    private volatile KidSums lastKid;
    // the bootstrap interval (relative to its estimate) and the extrapolation, and the N they were made at
    private Map<String, Double> costly = new LinkedHashMap<>();
    private long costlyAt;
    private final Object computeLock = new Object();

    FeatureQuality(FeatureExtractor extractor, ReferenceStats ref) {
        this(extractor, ref, ref.kidFeatureCount() >= 3 ? new KidEstimator(ref.kidFeatures(), ref.kidFeatureCount(),
                ref.dim()) : null);
    }

    /** With a KID reference shared by the lanes of a run, so that their KIDs can be compared pair by pair. */
    FeatureQuality(FeatureExtractor extractor, ReferenceStats ref, KidEstimator kid) {
        this(extractor, ref, kid, 0);
    }

    /** For the images firstImage, firstImage + 1, … of a run (a sweep's shard): see {@link #part} and {@link #merge}. */
    FeatureQuality(FeatureExtractor extractor, ReferenceStats ref, KidEstimator kid, long firstImage) {
        this.extractor = extractor;
        this.reference = ref.reference();
        this.stats = new GaussianStats(extractor.dim());
        this.extrapolation = new FidExtrapolation(extractor.dim(), org.flowbench.engine.metrics.Linalg.get(),
                firstImage);
        this.firstImage = firstImage;
        this.kid = kid;
        this.quantisation = ref.identity().quantisation();
        Quantisation.quantises(quantisation); // an unknown label fails here, before the run
    }

    @Override
    public void add(double[] xs, int n) {
        int d = extractor.dim();
        double[] f = new double[n * d];
        // the samples as the reference was made: e.g. 8-bit levels for statistics of 8-bit images
        extractor.features(Quantisation.applied(quantisation, xs, xs.length), n, f);
        extrapolation.add(f, n);
        synchronized (this) {
            long batchFirst = firstImage + stats.count();
            stats.addBatch(f, n);
            // the features of the run's first KEEP images (a shard inside the run keeps its share of them)
            int take = (int) Math.max(0, Math.min(n, KEEP - batchFirst));
            if (take > 0) {
                features = Arrays.copyOf(features, (kept + take) * d);
                System.arraycopy(f, 0, features, kept * d, take * d);
                kept += take;
            }
        }
    }

    @Override
    public QualityPart part() {
        synchronized (this) {
            return QualityPart.features(firstImage, stats.count(), stats.toBytes(), extrapolation.chunks(),
                    Arrays.copyOf(features, kept * extractor.dim()));
        }
    }

    @Override
    public void merge(QualityPart p) {
        synchronized (this) {
            long next = firstImage + stats.count();
            if (p.firstImage() != next || p.stats() == null) {
                throw new org.flowbench.engine.FlowbenchException("a shard of images from " + p.firstImage()
                        + " cannot follow image " + (next - 1) + " of this lane");
            }
            stats.merge(GaussianStats.fromBytes(p.stats(), "shard statistics"));
            extrapolation.merge(p.chunkStats(), p.count());
            int d = extractor.dim();
            int take = Math.min(p.keptFeatures().length / d, KEEP - kept);
            if (take > 0) {
                features = Arrays.copyOf(features, (kept + take) * d);
                System.arraycopy(p.keptFeatures(), 0, features, kept * d, take * d);
                kept += take;
            }
        }
    }

    @Override
    public KidSums kidSums() {
        return lastKid;
    }

    /** FID needs more samples than feature dimensions; below that it is not estimable. */
    private boolean fidEstimable(long n) {
        return n > extractor.dim();
    }

    @Override
    public Map<String, Double> quick() {
        GaussianStats s;
        synchronized (this) {
            s = stats.copy();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (fidEstimable(s.count())) {
            m.put("fid", reference.distanceTo(s));
        }
        return m;
    }

    @Override
    public Map<String, Double> compute() {
        return compute(false);
    }

    /** The final figures: every estimate brought up to the last sample. */
    @Override
    public Map<String, Double> computeFinal() {
        return compute(true);
    }

    /**
     * The figures for the samples so far. The costly parts are redone only when they can change visibly: KID's
     * kernel sums when its sample count changes (it stops at {@value #KID_MAX}), the bootstrap interval and the
     * extrapolation when N has grown by a tenth since they were made (a run of 10 000 would otherwise spend most of a
     * core on them after every batch); {@code last} redoes everything.
     */
    private Map<String, Double> compute(boolean last) {
        synchronized (computeLock) { // the metrics thread and the final figures may overlap
            return computeLocked(last);
        }
    }

    private Map<String, Double> computeLocked(boolean last) {
        GaussianStats s;
        double[] f;
        int n;
        synchronized (this) {
            s = stats.copy();
            f = features;
            n = kept;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (kid != null && n >= 3) {
            int kn = Math.min(n, KID_MAX);
            KidSums k0 = lastKid;
            KidEstimator.Sums sums = k0 != null && k0.sums().n() == kn ? k0.sums() : kid.sums(f, kn);
            lastKid = new KidSums(kid, sums);
            KidEstimator.Estimate k = kid.estimate(sums, LEVEL);
            m.put("kid", k.kid());
            m.put("kidLow", k.lo());
            m.put("kidHigh", k.hi());
            m.put("kidN", (double) k.n());
        }
        if (!fidEstimable(s.count())) {
            m.put("fidMinN", (double) extractor.dim() + 1);
            return m;
        }
        double fid = reference.distanceTo(s);
        m.put("fid", fid);
        boolean refresh = last || s.count() >= 1.1 * costlyAt;
        if (refresh) {
            costly = new LinkedHashMap<>();
            costlyAt = s.count();
            if (n == s.count()) {
                Bootstrap.Interval iv = Bootstrap.fid(reference, f, n, extractor.dim(), REPLICATES, LEVEL, 0x5EED,
                        org.flowbench.engine.metrics.Linalg.get());
                costly.put("fidLow", iv.lo() - iv.fid()); // kept relative to the estimate they were made at
                costly.put("fidHigh", iv.hi() - iv.fid());
            }
            FidExtrapolation.Estimate e = extrapolation.estimate(reference, PREDICT_AT, LEVEL);
            if (e != null) {
                costly.put("fidInf", e.fidInfinity());
                costly.put("fidInfLow", e.infinityLow());
                costly.put("fidInfHigh", e.infinityHigh());
                costly.put("fidPred", e.predicted());
                costly.put("fidPredLow", e.predictedLow());
                costly.put("fidPredHigh", e.predictedHigh());
                costly.put("fidPredN", (double) e.targetN());
                costly.put("fidFitR2", e.r2());
            }
        }
        costly.forEach((k, v) -> m.put(k, k.equals("fidLow") || k.equals("fidHigh")
                ? Math.max(0, fid + v) : v));
        if (m.containsKey("fidLow")) {
            // the interval, made a little earlier, is moved with the estimate and always contains it
            m.put("fidLow", Math.min(fid, m.get("fidLow")));
            m.put("fidHigh", Math.max(fid, m.get("fidHigh")));
        }
        return m;
    }
}
