package org.flowbench.samplers;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;

/** The conformance suite on an exact 2-D mixture on the rectified-flow path (float64, unconditional). */
class AnalyticFlowConformanceTest extends SamplerConformanceSuite {
    @Override
    FlowModel model() {
        return Models.open("builtin:3modes");
    }
}
