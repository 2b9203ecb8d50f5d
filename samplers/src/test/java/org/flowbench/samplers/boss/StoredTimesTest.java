package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A BOSS student package samples on the Bellman times it was made for when the grid is left at auto. */
class StoredTimesTest {
    @Test
    void eulerOnAStudentUsesItsStoredTimesByDefault(@TempDir Path dir) throws Exception {
        VelocityMlp net = new VelocityMlp(2, 16);
        double[] bellman = {0.0, 0.31, 0.77, 1.0};
        BossSchedule s = new BossSchedule("x", 3, 100, 100, 0, bellman, new int[] {0, 31, 77, 100}, 1.0, false);
        try (FlowModel teacher = Models.open("builtin:boss-toy")) {
            BossStraighten.writePackage(dir.resolve("student"), net, net.init(1), teacher, "builtin:boss-toy", s,
                    Map.of());
        }
        try (FlowModel student = Models.open(dir.resolve("student").toString())) {
            assertEquals(List.of(0.0, 0.31, 0.77, 1.0), times(student, Map.of("steps", "3")), "auto at K = 3");
            assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), times(student, Map.of("steps", "4")),
                    "no stored times for K = 4: uniform");
            assertEquals(List.of(0.0, 1.0 / 3, 2.0 / 3, 1.0), times(student, Map.of("steps", "3", "grid", "uniform")),
                    "an explicit grid wins");
        }
        try (FlowModel plain = Models.open("builtin:boss-toy")) {
            assertEquals(List.of(0.0, 1.0 / 3, 2.0 / 3, 1.0), times(plain, Map.of("steps", "3")),
                    "auto is uniform on a model without times of its own");
        }
    }

    private static Object times(FlowModel m, Map<String, String> params) {
        SampleBatch b = SamplerRegistry.create("euler", params).sample(SamplingRequest.of(0, 2, 2), m,
                ProgressListener.NONE, CancellationToken.NONE);
        return b.manifest().get("times");
    }
}
