package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.CountingModel;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancel stops a BOSS run whose schedule is still being computed, within one batch of the cost matrix. */
class BossCancelTest {
    @Test
    void cancelDuringTheCostMatrixStopsWithinOneBatch(@TempDir Path dir) {
        try (ScheduleCache cache = ScheduleCache.at(dir)) {
            CountingModel m = new CountingModel(Models.open("builtin:boss-toy"));
            CancellationToken token = new CancellationToken();
            AtomicLong callsAtCancel = new AtomicLong(-1);
            AtomicLong matrixSteps = new AtomicLong();
            ProgressListener cancelAtStep3 = new ProgressListener() {
                @Override
                public void progress(long done, long total, String what) {
                    if (what.equals(BossCost.PROGRESS)) {
                        matrixSteps.set(done);
                        assertEquals(200, total);
                        if (done == 3) {
                            callsAtCancel.set(m.calls.get());
                            token.cancel();
                        }
                    }
                }
            };
            var boss = SamplerRegistry.create("boss", Map.of("steps", "4", "fine", "200", "cost-samples", "50",
                    "cost-seed", "91"));
            assertThrows(CancellationToken.CancelledException.class,
                    () -> boss.sample(SamplingRequest.of(0, 8, 8), m, cancelAtStep3, token));
            assertEquals(3, callsAtCancel.get(), "one batched call of the cost-samples per fine step");
            assertEquals(3, matrixSteps.get(), "no further step of the cost matrix after cancel");
            assertEquals(callsAtCancel.get(), m.calls.get(), "no evaluation after cancel");
            assertTrue(m.states.get() == 3 * 50, "states evaluated: " + m.states.get());
        }
    }
}
