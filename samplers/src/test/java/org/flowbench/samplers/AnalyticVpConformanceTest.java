package org.flowbench.samplers;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;

/** The conformance suite on the same mixture on the VP path (a score model: time runs to τ_min, not to 0). */
class AnalyticVpConformanceTest extends SamplerConformanceSuite {
    @Override
    FlowModel model() {
        return Models.open("builtin:3modes-vp");
    }
}
