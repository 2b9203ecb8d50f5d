package org.flowbench.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.SeedPolicy;
import org.junit.jupiter.api.Test;

class SessionTest {
    static Project project(int n, int batch, LaneSpec... lanes) {
        return new Project(Project.SCHEMA_VERSION, "t", "builtin:3modes", null, "", n, batch, 3, SeedPolicy.FIXED, 2,
                "exact", List.of(lanes), List.of());
    }

    @Test
    void runsLanesAndReportsExactNfeAndModes() throws Exception {
        List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
        Session s = new Session(project(600, 200, new LaneSpec("e8", "euler", Map.of("steps", "8")),
                new LaneSpec("h8", "heun", Map.of("steps", "8"))), events::add);
        s.runBlocking();
        assertEquals(LaneStatus.DONE, s.status(0));
        assertEquals(LaneStatus.DONE, s.status(1));
        assertEquals(8.0, s.stats(0).nfePerImage());
        assertEquals(16.0, s.stats(1).nfePerImage(), "Heun: 2 NFE per step");
        assertEquals(600, s.stats(0).images());
        double[] f = s.stats(1).modeFractions();
        assertEquals(3, f.length);
        // exact weights 0.2/0.3/0.5; 600 samples: a few percent of sampling error
        assertEquals(0.5, f[2], 0.07);
        assertTrue(s.stats(1).get("modeTv") < 0.08, "Heun 8 matches the mode weights: " + s.stats(1).get("modeTv"));
        assertEquals(600 * 2, s.keptSamples(0).length, "2-D: all samples kept for the scatter");
        // FID against the exact moments: Heun 8 is close to exact, Euler 8 clearly worse on this mixture
        double fidHeun = s.stats(1).get("fid");
        double fidEuler = s.stats(0).get("fid");
        assertTrue(fidHeun < fidEuler, "Heun 8 " + fidHeun + " vs Euler 8 " + fidEuler);
        assertTrue(s.stats(1).get("fidLow") <= fidHeun && fidHeun <= s.stats(1).get("fidHigh") * 1.5,
                "interval around the estimate");
        assertTrue(Double.isFinite(s.stats(0).get("kid")));
        // few batches: a mean and the slowest batch per image, no percentiles that would only repeat them
        assertTrue(s.stats(0).get("meanMs") > 0 && s.stats(0).get("maxMs") >= s.stats(0).get("meanMs") * 0.5);
        assertTrue(Double.isNaN(s.stats(0).get("p50Ms")), "no percentiles from " + s.stats(0).get("latencyBatches")
                + " batches");
        assertTrue(events.get(0) instanceof SessionEvent.Started);
        assertTrue(events.get(events.size() - 1) instanceof SessionEvent.Finished);
        assertTrue(events.stream().anyMatch(e -> e instanceof SessionEvent.Preview), "previews emitted");
        assertEquals(3, events.stream().filter(e -> e instanceof SessionEvent.BatchDone b && b.lane() == 0
                && b.batch() != null).count(), "three batches of 200");
    }

    /** Each lane's record of what ran comes from the engine: every resolved parameter, identity and cost. */
    @Test
    void everyLaneCarriesTheRecordOfWhatRan() throws Exception {
        Session s = new Session(project(40, 20, new LaneSpec("e4", "euler", Map.of("steps", "4")),
                new LaneSpec("fkc", "fkc", Map.of("steps", "3", "particles", "2", "target", "anneal"))), e -> {});
        s.runBlocking();
        Map<String, Object> rec = s.results().get(0).record();
        for (String key : org.flowbench.engine.run.RunRecord.REQUIRED) {
            assertTrue(rec.containsKey(key), "record lacks " + key + ": " + rec);
        }
        assertEquals("builtin:3modes", rec.get("model"));
        assertEquals("euler", rec.get("sampler"));
        assertEquals("2", rec.get("samplerVersion"));
        assertEquals("cpu", rec.get("device"));
        assertEquals(40L, rec.get("images"));
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) rec.get("params");
        assertEquals("auto", params.get("grid"), "defaults are resolved into the record");
        assertEquals(4, params.get("steps"));
        @SuppressWarnings("unchecked")
        Map<String, Double> cost = (Map<String, Double>) s.results().get(1).record().get("cost");
        assertEquals(2.0, cost.get("particles"));
        assertEquals(6.0, cost.get("network"), "3 steps × 2 particles");
    }

    /** A lane may name its own model: it samples that one; a model of another image shape fails only its lane. */
    @Test
    void aLaneMaySampleItsOwnModel() throws Exception {
        Session s = new Session(project(20, 10, new LaneSpec("teacher", "euler", Map.of("steps", "4")),
                new LaneSpec("other", "euler", Map.of("steps", "4"), "builtin:checker", null),
                new LaneSpec("images", "euler", Map.of("steps", "4"), org.flowbench.app.testing.FakeImageModel.REF,
                        null)), e -> {},
                ref -> ref.equals(org.flowbench.app.testing.FakeImageModel.REF)
                        ? new org.flowbench.app.testing.FakeImageModel()
                        : org.flowbench.engine.model.Models.open(ref));
        s.runBlocking();
        assertEquals(LaneStatus.DONE, s.status(0));
        assertEquals(LaneStatus.DONE, s.status(1));
        assertEquals("builtin:checker", s.results().get(1).record().get("model"));
        assertEquals("builtin:3modes", s.results().get(0).record().get("model"));
        assertTrue(!java.util.Arrays.equals(s.keptSamples(0), s.keptSamples(1)), "different models, different images");
        assertEquals(LaneStatus.FAILED, s.status(2));
        assertTrue(s.results().get(2).message().contains("shape"), s.results().get(2).message());
    }

    /**
     * A ReNO lane sends its reward and ‖z‖ per iteration and keeps each image's initial version beside it; Stop in
     * the middle of a batch keeps that batch's best images so far.
     */
    @Test
    void renoLaneTracesItsRewardAndStopKeepsTheBestSoFar() throws Exception {
        Project p = new Project(Project.SCHEMA_VERSION, "t", "builtin:fashion-slimflow", null, "Shirt", 4, 4, 0,
                SeedPolicy.FIXED, 0, "default", List.of(new LaneSpec("reno", "reno", Map.of("iterations", "6"))),
                List.of());
        List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
        Session s = new Session(p, events::add);
        s.runBlocking();
        assertEquals(LaneStatus.DONE, s.status(0), s.results().get(0).message());
        List<SessionEvent.Trace> traces = events.stream().filter(e -> e instanceof SessionEvent.Trace)
                .map(e -> (SessionEvent.Trace) e).toList();
        assertEquals(6, traces.size());
        assertTrue(traces.get(5).means().get("reward") >= traces.get(0).means().get("reward") - 1e-9
                || traces.stream().anyMatch(t -> t.means().get("reward") > traces.get(0).means().get("reward")));
        assertEquals(4 * 784, s.keptInitial(0).length);
        assertEquals(4 * 784, s.keptSamples(0).length);

        Session[] holder = new Session[1];
        int[] seen = {0};
        Session stopped = new Session(p, e -> {
            if (e instanceof SessionEvent.Trace && ++seen[0] == 2) {
                holder[0].stop();
            }
        });
        holder[0] = stopped;
        stopped.runBlocking();
        assertEquals(LaneStatus.DONE, stopped.status(0), "the only batch was delivered (all 4 images)");
        assertEquals(4 * 784, stopped.keptSamples(0).length, "best so far kept");
        assertEquals(2.0, stopped.stats(0).nfePerImage(), "two evaluations before the stop");
    }

    /** A lane's preparation (BOSS's feature cost matrix) drives its progress bar before the first step. */
    @Test
    void aPreparationShowsItsOwnProgress(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cache) throws Exception {
        String old = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", cache.toString());
        try {
            List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());
            Session s = new Session(project(8, 8, new LaneSpec("boss", "boss", Map.of("steps", "3", "fine", "12",
                    "cost-samples", "16", "cost", "features", "features", "identity"))), events::add);
            s.runBlocking();
            assertEquals(LaneStatus.DONE, s.status(0), s.results().get(0).message());
            List<SessionEvent.Progress> p = events.stream().filter(e -> e instanceof SessionEvent.Progress)
                    .map(e -> (SessionEvent.Progress) e).toList();
            long predictions = org.flowbench.samplers.boss.BossCost.featureRowEvaluations(12, 12);
            assertTrue(p.stream().anyMatch(e -> e.total() == predictions && e.done() == predictions), p.toString());
            assertTrue(p.stream().anyMatch(e -> e.total() == 12 && e.done() == 12), "the fine path's steps first");
        } finally {
            if (old == null) {
                System.clearProperty("flowbench.cache");
            } else {
                System.setProperty("flowbench.cache", old);
            }
        }
    }

    @Test
    void sameSeedGivesSameImagesInEveryLaneOrder() throws Exception {
        Session a = new Session(project(50, 50, new LaneSpec("e", "euler", Map.of("steps", "4"))), e -> {});
        Session b = new Session(project(50, 10, new LaneSpec("h", "heun", Map.of("steps", "4")),
                new LaneSpec("e", "euler", Map.of("steps", "4"))), e -> {});
        a.runBlocking();
        b.runBlocking();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.keptSamples(0), b.keptSamples(1), 1e-12);
    }

    @Test
    void failingLaneIsMarkedWhileOthersGoOn() throws Exception {
        Session s = new Session(project(100, 50, new LaneSpec("bad", "euler", Map.of("steps", "0")),
                new LaneSpec("good", "euler", Map.of("steps", "4")),
                new LaneSpec("typo", "euler", Map.of("stepz", "4"))), e -> {});
        s.runBlocking();
        assertEquals(LaneStatus.FAILED, s.status(0));
        assertTrue(s.message(0).contains("steps") && s.message(0).contains("out of range"), s.message(0));
        assertEquals(LaneStatus.DONE, s.status(1));
        assertEquals(100, s.stats(1).images());
        assertEquals(LaneStatus.FAILED, s.status(2));
        assertTrue(s.message(2).contains("unknown parameter 'stepz'"), s.message(2));
    }

    @Test
    void nanLaneFails() throws Exception {
        Session s = new Session(project(20, 10, new LaneSpec("nan", "euler", Map.of("steps", "4")),
                new LaneSpec("ok", "euler", Map.of("steps", "3"))), e -> {},
                ref -> new NanModel(org.flowbench.engine.model.Models.open(ref)));
        s.runBlocking();
        assertEquals(LaneStatus.FAILED, s.status(0));
        assertTrue(s.message(0).contains("non-finite"), s.message(0));
        assertEquals(LaneStatus.DONE, s.status(1), "the other lane goes on");
        assertEquals(20, s.stats(1).images());
    }

    @Test
    void modelErrorFailsEveryLaneWithItsMessage() throws Exception {
        Session s = new Session(project(20, 10, new LaneSpec("a", "euler", Map.of())).withModel("builtin:nope", null),
                e -> {});
        s.runBlocking();
        assertEquals(LaneStatus.FAILED, s.status(0));
        assertTrue(s.message(0).contains("unknown built-in model"), s.message(0));
    }

    @Test
    void stopActsWithinOneStepAndKeepsFinishedBatches() throws Exception {
        CountDownLatch secondBatch = new CountDownLatch(1);
        long[] stepsAfterStop = {0};
        Session[] holder = new Session[1];
        holder[0] = new Session(project(4000, 100, new LaneSpec("slow", "euler", Map.of("steps", "2000"))), e -> {
            if (e instanceof SessionEvent.BatchDone b && b.batch() != null && b.stats().images() >= 200) {
                secondBatch.countDown();
            }
            if (e instanceof SessionEvent.Progress && holder[0].isStopRequested()) {
                stepsAfterStop[0]++;
            }
        });
        Session s = holder[0];
        s.start();
        assertTrue(secondBatch.await(60, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        s.stop();
        assertTrue(s.await(5, TimeUnit.SECONDS), "stopped promptly");
        double ms = (System.nanoTime() - t0) / 1e6;
        assertTrue(stepsAfterStop[0] <= 1, "at most the step in flight finishes: " + stepsAfterStop[0]);
        assertEquals(LaneStatus.STOPPED, s.status(0));
        long images = s.stats(0).images();
        assertTrue(images >= 200 && images % 100 == 0 && images < 4000, "finished batches kept: " + images);
        assertEquals(images * 2, s.keptSamples(0).length);
        assertTrue(s.message(0).startsWith("stopped after " + images), s.message(0));
        assertTrue(ms < 2000, "stop took " + ms + " ms");
    }

    @Test
    void latestWinsDropsStaleTasks() {
        List<Runnable> queue = new ArrayList<>();
        LatestWins lw = new LatestWins(queue::add);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            lw.submit(() -> ran.add(k));
        }
        assertEquals(1, queue.size(), "one drain queued for five submits");
        queue.remove(0).run();
        assertEquals(List.of(4), ran, "only the latest ran");
        lw.submit(() -> ran.add(9));
        queue.remove(0).run();
        assertEquals(List.of(4, 9), ran);
    }
}

final class NanModel extends org.flowbench.app.testing.DelegatingModel {
    NanModel(org.flowbench.engine.model.FlowModel inner) {
        super(inner);
    }

    /** NaN at t = 0.75, a time on Euler's 4-step grid but not on its 3-step grid. */
    @Override
    public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
        super.velocity(x, n, t, labels, out);
        if (Math.abs(t - 0.75) < 1e-9) {
            java.util.Arrays.fill(out, Double.NaN);
        }
    }
}
