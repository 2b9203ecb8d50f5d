package org.flowbench.samplers;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;

/** The conformance suite on the same mixture on the VE path (σ from 10 to 0.01). */
class AnalyticVeConformanceTest extends SamplerConformanceSuite {
    @Override
    FlowModel model() {
        return Models.open("builtin:3modes-ve");
    }
}
