package org.flowbench.app.session;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.analytic.GaussianMixture;

/** Chooses the quality metrics a lane can measure for its model. */
final class Metrics {
    private Metrics() {}

    /** Analytic 2-D models: mode proportions (and FID against the exact mixture moments). */
    static QualityEvaluator analytic(GaussianMixture gm, int label, AnalyticQuality modes) {
        return modes;
    }

    /** Image models: FID needs reference statistics for the model's data and a feature extractor. */
    static QualityEvaluator forModel(FlowModel model, String referenceStats) {
        return new QualityEvaluator() {
            @Override
            public void add(double[] xs, int n) {}

            @Override
            public java.util.Map<String, Double> compute() {
                return java.util.Map.of();
            }

            @Override
            public String unavailableReason() {
                return "no reference statistics for " + model.id();
            }
        };
    }
}
