package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.pkg.NetworkFlowModel;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/**
 * CFG + FKC through a class-conditional image network (the Fashion UNet architecture with untrained weights):
 * shapes, labels, NFE (2 evaluations per particle and step) and finite outputs. Quality needs the trained package.
 */
@org.junit.jupiter.api.Tag("slow")
class FkcImagePlumbingTest {
    @Test
    void cfgFkcRunsOnAClassConditionalUNet() {
        FlowUNet net = FlowUNet.fashion();
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            classes.add("class " + c);
        }
        try (NetworkFlowModel m = new NetworkFlowModel("untrained-unet", "untrained", net, net.init(1),
                new int[] {1, 28, 28}, classes)) {
            SamplingRequest req = new SamplingRequest(1, 0, 2, 16, new int[] {3, 7}, 0);
            SampleBatch b = SamplerRegistry.create("fkc", Map.of("target", "cfg", "guidance", "2", "steps", "3",
                    "particles", "4", "output", "first")).sample(req, m, ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(2 * 784, b.samples().length);
            assertEquals(4 * 3 * 2, b.nfe()[0]);
            for (double v : b.samples()) {
                assertTrue(Double.isFinite(v));
            }
            assertEquals(3, ((List<?>) b.manifest().get("essFraction")).size());
        }
    }
}
