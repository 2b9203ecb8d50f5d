package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BOSS optimises the schedule for the paths the run follows: the cost matrix uses the run's conditioning. On a
 * mixture whose classes differ in shape (class 0 a narrow mode, class 1 a wide one far away), one class, both classes
 * in turn and no class give different schedules, each cached under its own conditioning; a run's schedule does not
 * depend on the slice it is computed in.
 */
class BossConditioningTest {
    @Test
    void theScheduleFollowsTheRunsConditioning(@TempDir Path dir) {
        Path spec = dir.resolve("two-classes.json");
        try {
            java.nio.file.Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"rectified-flow\","
                    + "\"weights\":[0.5,0.5],\"means\":[[-4,0],[3,3]],\"stds\":[0.05,1.5],\"labels\":[0,1],"
                    + "\"classNames\":[\"narrow\",\"wide\"]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (ScheduleCache cache = ScheduleCache.at(dir); FlowModel m = Models.open(spec.toString())) {
            int[] all = {0, 1};
            BossSchedule none = BossSchedule.get(m, 3, 40, 64, 0, null, ProgressListener.NONE, CancellationToken.NONE);
            BossSchedule one = BossSchedule.get(m, 3, 40, 64, 0, new int[] {0}, ProgressListener.NONE,
                    CancellationToken.NONE);
            BossSchedule each = BossSchedule.get(m, 3, 40, 64, 0, all, ProgressListener.NONE, CancellationToken.NONE);
            assertFalse(Arrays.equals(none.times(), one.times()), "no class vs one class: " + Arrays.toString(none.times())
                    + " " + Arrays.toString(one.times()));
            assertFalse(Arrays.equals(one.times(), each.times()), "one class vs all: " + Arrays.toString(one.times())
                    + " " + Arrays.toString(each.times()));
            assertTrue(one.objective() != each.objective());
            // the cost matrix really is the conditioned one: it equals BossCost on those labels
            int[] labels = new int[64];
            for (int i = 0; i < 64; i++) {
                labels[i] = all[i % 2];
            }
            CostMatrix direct = BossCost.compute(m, 40, 64, 0, labels, ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(direct, BossSchedule.costMatrix(m, 40, 64, 0, all, ProgressListener.NONE,
                    CancellationToken.NONE));
            // each conditioning has its own cache entry on disk
            BossSchedule.clearMemory();
            BossSchedule again = BossSchedule.get(m, 3, 40, 64, 0, all, ProgressListener.NONE, CancellationToken.NONE);
            assertTrue(again.fromCache());
            assertArrayEquals(each.times(), again.times());
            BossSchedule noneAgain = BossSchedule.get(m, 3, 40, 64, 0, new int[] {-1}, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertArrayEquals(none.times(), noneAgain.times());

            // a guided model shares its base's weights hash, but its cost matrix is its own
            // (not closed: closing a guided model closes its base, which this test still uses)
            BossSchedule.costMatrix(m, 40, 64, 0, all, ProgressListener.NONE, CancellationToken.NONE); // in memory now
            FlowModel guided = new org.flowbench.engine.model.pkg.GuidedModel(m, 3);
            CostMatrix g = BossSchedule.costMatrix(guided, 40, 64, 0, all, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertFalse(g.equals(direct), "the guided field gives another cost matrix");
            assertEquals(BossCost.compute(guided, 40, 64, 0, labels, ProgressListener.NONE, CancellationToken.NONE), g);

            // a run's slices share the run's schedule: the times in every slice's manifest are the same
            var boss = SamplerRegistry.create("boss", Map.of("steps", "3", "fine", "40", "cost-samples", "64"));
            SampleBatch whole = boss.sample(SamplingRequest.conditioned(5, 0, 16, 16, all, 0), m, ProgressListener.NONE,
                    CancellationToken.NONE);
            SampleBatch slice = boss.sample(SamplingRequest.conditioned(5, 8, 4, 4, all, 0), m, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertEquals(whole.manifest().get("times"), slice.manifest().get("times"));
            assertEquals(Arrays.stream(each.times()).boxed().toList(), whole.manifest().get("times"));
            assertEquals(List.of(0, 1), whole.manifest().get("scheduleConditioning"));
            assertArrayEquals(whole.image(9), slice.image(1), "image 9 is the same whichever slice makes it");
        }
    }
}
