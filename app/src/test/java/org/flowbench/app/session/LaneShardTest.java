package org.flowbench.app.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.SeedPolicy;
import org.junit.jupiter.api.Test;

/**
 * A lane run in shards and merged gives the run's figures: samples bit for bit, every deterministic metric to 1e-9
 * relative (bit for bit with one shard), whatever the shard boundaries; timings are the shards' own.
 */
class LaneShardTest {
    /** Metrics measured by the clock or the machine, not determined by the samples. */
    @Test
    void shardedImageLanesEqualTheRun() throws Exception {
        // 640 images in 10 batches: FID needs more than the classifier's 128 feature dimensions, and near 128 it is so
        // ill-conditioned (the trace of a square root of a nearly singular covariance) that round-off grows to 1e-8
        check(project("builtin:fashion-flow", "all", 640, 64));
    }

    @Test
    void shardedAnalyticLanesEqualTheRun() throws Exception {
        check(project("builtin:3modes", "", 500, 100));
    }

    private static Project project(String model, String prompt, int n, int batch) {
        return ProjectFiles.resolved(new Project(Project.SCHEMA_VERSION, "t", model, null, prompt, n, batch, 3,
                SeedPolicy.FIXED, 0, "default", List.of(new LaneSpec("Euler 2", "euler", Map.of("steps", "2")),
                        new LaneSpec("Heun 2", "heun", Map.of("steps", "2"))), List.of()));
    }

    private static void check(Project p) throws Exception {
        Session s = new Session(p, e -> {});
        s.runBlocking();
        List<LaneResult> run = s.results();
        int batches = p.n() / p.batch();
        for (int shards : new int[] {1, 2, 5}) {
            List<LaneShard.Merged> merged = new ArrayList<>();
            for (int lane = 0; lane < p.lanes().size(); lane++) {
                List<LaneShard.Result> parts = new ArrayList<>();
                for (int k = shards - 1; k >= 0; k--) { // out of order: merge sorts them
                    int from = k * batches / shards * p.batch();
                    int to = (k + 1) * batches / shards * p.batch();
                    parts.add(LaneShard.run(p, new LaneShard.Key(lane, p.seed(), from, to), null));
                }
                merged.add(LaneShard.merge(p, lane, p.seed(), parts));
            }
            List<LaneResult> sweep = LaneShard.results(merged);
            for (int lane = 0; lane < run.size(); lane++) {
                String where = shards + " shards, lane " + lane;
                assertArrayEquals(s.keptSamples(lane), merged.get(lane).kept(), where);
                LaneResult a = run.get(lane);
                LaneResult b = sweep.get(lane);
                assertEquals(a.status(), b.status(), where);
                assertEquals(a.metrics().keySet(), b.metrics().keySet(), where);
                assertTrue(a.metrics().containsKey("fid") && a.metrics().containsKey("kid"), a.metrics().toString());
                for (String k : a.metrics().keySet()) {
                    if (LaneStats.MEASURED_TIMES.contains(k)) {
                        continue;
                    }
                    double x = a.metrics().get(k);
                    double y = b.metrics().get(k);
                    if (shards == 1) {
                        assertEquals(x, y, 0, where + " " + k);
                    } else {
                        assertEquals(x, y, 1e-9 * Math.max(1e-12, Math.abs(x)), where + " " + k);
                    }
                }
                Map<String, Object> ra = new LinkedHashMap<>(a.record());
                Map<String, Object> rb = new LinkedHashMap<>(b.record());
                ra.remove("wallSeconds");
                rb.remove("wallSeconds");
                assertEquals(org.flowbench.engine.io.Json.COMPACT.writeValueAsString(ra),
                        org.flowbench.engine.io.Json.COMPACT.writeValueAsString(rb), where);
            }
        }
    }
}
