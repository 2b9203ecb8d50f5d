package org.flowbench.samplers;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;

/** The conformance suite on a class-conditional mixture, requests mixing classes and unconditional images. */
class ClassConditionalConformanceTest extends SamplerConformanceSuite {
    @Override
    FlowModel model() {
        return Models.open("builtin:8ring");
    }

    /** Classes 0..7 in turn, every fifth image unconditional. */
    @Override
    int label(int i) {
        return i % 5 == 4 ? -1 : i % 8;
    }
}
