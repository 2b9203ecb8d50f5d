package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.metrics.FeatureExtractors;
import org.flowbench.engine.model.FeatureExtractor;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.CountingModel;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BOSS's feature objective: each entry is the feature-space error of the data prediction after the jump, recomputed
 * here from scratch; a reference step costs exactly 0; a jump to the end costs what the pixel objective says (the
 * prediction at t = 1 is the state itself); the run's manifest counts the matrix's evaluations, which the disk cache
 * then saves.
 */
class BossFeatureCostTest {
    private static final int N = 12;
    private static final int M = 16;

    @Test
    void entriesAreTheFeatureErrorOfTheDataPredictionAfterEachJump() {
        FlowModel m = Models.open("builtin:3modes");
        FeatureExtractor fx = FeatureExtractors.resolve("identity", m.shape());
        int[] labels = new int[M];
        java.util.Arrays.fill(labels, FlowModel.UNCONDITIONAL);
        CostMatrix c = BossCost.compute(m, N, M, 3, labels, BossCost.Objective.features(fx), ProgressListener.NONE,
                CancellationToken.NONE);
        CostMatrix l2 = BossCost.compute(m, N, M, 3, labels, ProgressListener.NONE, CancellationToken.NONE);

        // the fine Euler path and its data predictions, independently
        int d = m.dim();
        double[] s = BossCost.fineGrid(m.path(), N);
        double[][] x = new double[N + 1][M * d];
        double[][] v = new double[N + 1][M * d];
        for (int k = 0; k < M; k++) {
            NoiseSource.gaussian(3, k, BossCost.NOISE_STREAM, x[0], k * d, d);
        }
        for (int i = 0; i < N; i++) {
            m.velocity(x[i], M, s[i], labels, v[i]);
            for (int e = 0; e < M * d; e++) {
                x[i + 1][e] = x[i][e] + (s[i + 1] - s[i]) * v[i][e];
            }
        }
        for (int i = 0; i < N; i++) {
            for (int j = i + 1; j <= N; j++) {
                double[] jump = new double[M * d];
                for (int e = 0; e < jump.length; e++) {
                    jump[e] = x[i][e] + (s[j] - s[i]) * v[i][e];
                }
                double[] vj = new double[M * d];
                if (j < N) {
                    m.velocity(jump, M, s[j], labels, vj);
                }
                double sum = 0;
                for (int e = 0; e < jump.length; e++) {
                    double predicted = jump[e] + (1 - s[j]) * vj[e];
                    double reference = x[j][e] + (j < N ? (1 - s[j]) * v[j][e] : 0);
                    sum += (predicted - reference) * (predicted - reference);
                }
                assertEquals(sum / M, c.get(i, j), 1e-12 * Math.max(1, sum / M), "c[" + i + "][" + j + "]");
            }
            assertEquals(0.0, c.get(i, i + 1), "a reference step costs nothing");
            assertEquals(l2.get(i, N), c.get(i, N), 1e-12 * l2.get(i, N), "a jump to the end: the state is the prediction");
        }
        assertTrue(c.get(0, N / 2) > 0);
        assertFalse(c.equals(l2), "the objectives differ before the end");
    }

    @Test
    void theRunCountsTheMatrixEvaluationsAndTheDiskCacheSavesThem(@TempDir Path dir) throws Exception {
        try (ScheduleCache cache = ScheduleCache.at(dir)) {
            Map<String, String> p = Map.of("steps", "3", "fine", Integer.toString(N), "cost-samples",
                    Integer.toString(M), "cost", "features", "features", "identity");
            CountingModel counted = new CountingModel(Models.open("builtin:3modes"));
            SampleBatch b = SamplerRegistry.create("boss", p).sample(SamplingRequest.of(0, 8, 8), counted,
                    ProgressListener.NONE, new CancellationToken());
            long expected = (long) M * (N + N * (N - 1) / 2); // the fine path, then one per entry before the end
            assertEquals(expected, ((Number) b.manifest().get("scheduleNfe")).longValue());
            assertEquals(expected + 8 * 3, counted.states.get(), "matrix + 3 Euler steps for 8 images");
            assertTrue(String.valueOf(b.manifest().get("scheduleCost")).startsWith("features"));
            assertTrue(Files.list(dir.resolve("boss")).anyMatch(f -> f.getFileName().toString().startsWith("matrix-")));

            // another K in a fresh process: the matrix comes from disk, no evaluation is made for it
            BossSchedule.clearMemory();
            CountingModel again = new CountingModel(Models.open("builtin:3modes"));
            Map<String, String> k4 = new java.util.HashMap<>(p);
            k4.put("steps", "4");
            SampleBatch b4 = SamplerRegistry.create("boss", k4).sample(SamplingRequest.of(0, 8, 8), again,
                    ProgressListener.NONE, new CancellationToken());
            assertEquals(0L, ((Number) b4.manifest().get("scheduleNfe")).longValue());
            assertEquals(8 * 4, again.states.get());

            // the L2 objective keeps its own schedules
            BossSchedule l2 = BossSchedule.get(counted.inner, 3, N, M, 0, CancellationToken.NONE);
            assertTrue(l2.objective() > 0);
        }
    }

    @Test
    void aModelWithoutReferenceStatisticsNeedsAFeatureNetworkNamed() {
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> SamplerRegistry.create("boss",
                Map.of("cost", "features")).sample(SamplingRequest.of(0, 2, 2), Models.open("builtin:3modes"),
                ProgressListener.NONE, new CancellationToken()));
        assertTrue(e.getMessage().contains("declares no domain-FID statistics"), e.getMessage());
    }
}
