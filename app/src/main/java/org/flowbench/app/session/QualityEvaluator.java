package org.flowbench.app.session;

import java.util.Map;

/**
 * Quality metrics of one lane, fed with finished samples as they arrive. {@link #add} is called on the lane's
 * worker thread and must be cheap (streaming statistics); {@link #compute} may be expensive and runs on the
 * metrics thread through a latest-wins scheduler. Implementations are thread-safe.
 */
public interface QualityEvaluator {
    QualityEvaluator NONE = new QualityEvaluator() {
        @Override
        public void add(double[] xs, int n) {}

        @Override
        public Map<String, Double> compute() {
            return Map.of();
        }
    };

    void add(double[] xs, int n);

    /** Metrics by name: fid, fidLow, fidHigh, kid, modeTv; absent when not measurable. */
    Map<String, Double> compute();

    /** The final figures of a lane, with every estimate brought up to its last sample (by default {@link #compute}). */
    default Map<String, Double> computeFinal() {
        return compute();
    }

    /**
     * Cheap metrics computed after every batch on the worker (e.g. FID without its interval for low-dimensional
     * models), so metric-vs-N curves get a point per batch; empty when nothing is cheap.
     */
    default Map<String, Double> quick() {
        return Map.of();
    }

    /**
     * The KID kernel sums of the samples measured at the last {@link #compute} and the reference they were measured
     * against, for paired comparisons between lanes (KidEstimator#difference); null without KID.
     */
    default KidSums kidSums() {
        return null;
    }

    /** KID kernel sums and the reference estimator that made them (lanes are paired only on the same one). */
    record KidSums(org.flowbench.engine.metrics.KidEstimator reference,
            org.flowbench.engine.metrics.KidEstimator.Sums sums) {}

    /**
     * This evaluator's share of a lane as a mergeable part (a sweep's shard, started at its first image); evaluators
     * without one cannot be sharded.
     */
    default QualityPart part() {
        throw new org.flowbench.engine.FlowbenchException("these quality figures cannot be computed in shards");
    }

    /** Adds the part of the images that follow the last one seen (parts in image order). */
    default void merge(QualityPart part) {
        throw new org.flowbench.engine.FlowbenchException("these quality figures cannot be merged from shards");
    }

    /** Why there is no FID, or null when there is one (shown in the lane header). */
    default String unavailableReason() {
        return null;
    }
}
