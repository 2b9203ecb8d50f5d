package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.app.project.Workspace;
import org.flowbench.app.session.LaneStats;
import org.flowbench.app.session.LaneStatus;
import org.flowbench.app.testing.FakeImageModel;
import org.flowbench.engine.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * View-model tests without a toolkit and without waiting: UiExecutor.DIRECT runs every UI update, and same-thread
 * executors every background task and session, on the calling thread, so each call has finished when it returns.
 */
class MainViewModelTest {
    @TempDir
    Path dir;

    MainViewModel vm() {
        return new MainViewModel(UiExecutor.DIRECT, new Workspace(dir.resolve("ws")),
                ref -> ref.equals(FakeImageModel.REF) ? new FakeImageModel() : Models.open(ref), Runnable::run,
                Runnable::run);
    }

    /** The model of the current reference is loaded (same-thread executors: as soon as it was set). */
    static void assertModelLoaded(MainViewModel vm) {
        assertNotNull(vm.modelProperty().get(), "model loaded");
        assertEquals(vm.modelRefProperty().get(), vm.modelProperty().get().ref());
    }

    private static String nodeText(org.w3c.dom.Node n) {
        StringBuilder sb = new StringBuilder(n.getNodeName());
        if (n.getAttributes() != null) {
            for (int i = 0; i < n.getAttributes().getLength(); i++) {
                sb.append(' ').append(n.getAttributes().item(i).getNodeName()).append('=')
                        .append(n.getAttributes().item(i).getNodeValue());
            }
        }
        for (org.w3c.dom.Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            sb.append('\n').append(nodeText(c));
        }
        return sb.toString();
    }

    @Test
    void opensOnTheReadyComparison() throws Exception {
        MainViewModel vm = vm();
        assertEquals("builtin:3modes", vm.modelRefProperty().get());
        assertEquals(List.of("Euler 4", "Euler 8", "Euler 32", "Heun 8"), vm.lanes().stream().map(LaneViewModel::name).toList());
        assertFalse(vm.dirtyProperty().get());
        assertModelLoaded(vm);
        assertEquals(List.of(2), java.util.Arrays.stream(vm.modelProperty().get().shape()).boxed().toList());
        assertNotNull(vm.modelProperty().get().mixture());
    }

    @Test
    void theDeviceBoxOffersWhatTheMachineHasAndRefusesAnUnusableGpu() throws Exception {
        org.flowbench.engine.device.Devices.use("cpu");
        MainViewModel vm = vm();
        assertEquals(List.of("auto", "cpu"), vm.devices(), "no engine probe until the list is opened");
        vm.setup().probeDevices();
        var options = org.flowbench.engine.device.Devices.options();
        assertEquals(options.stream().map(org.flowbench.engine.device.Devices.Option::spec).toList(), vm.devices());
        assertEquals("cpu", vm.deviceProperty().get());
        // each choice reads as what it stands for ("cpu: 2 cores", a GPU with its free memory)
        for (var o : options) {
            assertEquals(o.label(), vm.setup().deviceLabel(o.spec()));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(org.flowbench.engine.device.Devices.gpuCount() == 0);
        vm.deviceProperty().set("gpu:0");
        assertEquals("cpu", vm.deviceProperty().get(), "an unusable GPU is not kept");
        assertTrue(vm.statusTextProperty().get().contains("no GPU is usable"), vm.statusTextProperty().get());
        assertEquals("cpu", org.flowbench.engine.device.Devices.currentSpec());
    }

    @Test
    void resultsMadeWithAnotherModelAreMarkedWhenTheProjectOpens() throws Exception {
        Project p = Project.analyticComparison().withModel("builtin:3modes", "0123456789abcdef0123")
                .withResults(List.of(new org.flowbench.app.project.LaneResult("Euler 4", "done", null, 2000,
                        Map.of("nfePerImage", 4.0), Map.of("sampler", "euler"))));
        Path f = dir.resolve("old.flowbench");
        org.flowbench.app.project.ProjectFiles.write(p, f);
        MainViewModel vm = vm();
        assertModelLoaded(vm);
        assertNull(vm.open(f));
        assertTrue(vm.statusTextProperty().get().contains("another model"), vm.statusTextProperty().get());
        assertTrue(vm.lanes().get(0).messageProperty().get().contains("results from another model"));
        assertNull(vm.lanes().get(1).messageProperty().get(), "a lane without results is not marked");
        assertEquals(Models.open("builtin:3modes").hash(), vm.toProject().modelHash(), "saving records the model now");
    }

    @Test
    void referenceStatisticsFollowTheModelKindAndAreChosenOrRefused() throws Exception {
        MainViewModel vm = vm();
        assertModelLoaded(vm);
        assertEquals("exact", vm.referenceStatsProperty().get());
        assertEquals("exact (analytic model)", vm.referenceLabelProperty().get());
        vm.modelRefProperty().set(FakeImageModel.REF);
        assertModelLoaded(vm);
        assertEquals("default", vm.referenceStatsProperty().get(), "an image model uses what its package declares");
        assertEquals("model default: none declared", vm.referenceLabelProperty().get());
        String err = vm.useReference(dir.resolve("missing.stats"));
        assertNotNull(err);
        assertEquals("default", vm.referenceStatsProperty().get(), "an unreadable file changes nothing");
        vm.modelRefProperty().set("builtin:3modes");
        assertModelLoaded(vm);
        assertEquals("exact", vm.referenceStatsProperty().get());
        // the ready Fashion comparison stores "default", which resolves to the classifier's test statistics
        Project f = Project.fashionComparison();
        assertEquals("default", f.referenceStats());
        assertEquals(List.of("Euler 4", "Euler 8", "Euler 32", "Heun 8"), f.lanes().stream().map(LaneSpec::name).toList());
        assertEquals("builtin:fashion-flow", f.model());
    }

    /**
     * Statistics from another tool (.npz: mean and covariance only) are used once their feature extractor is named;
     * without one, or with one of another dimension, they are refused and nothing changes.
     */
    @Test
    void npzStatisticsNeedTheirFeatureExtractor() throws Exception {
        MainViewModel vm = vm();
        vm.modelRefProperty().set(FakeImageModel.REF);
        assertModelLoaded(vm);
        java.util.function.BiFunction<Integer, String, Path> npz = (d, name) -> {
            org.flowbench.engine.metrics.GaussianStats g = new org.flowbench.engine.metrics.GaussianStats(d);
            double[] x = new double[200 * d];
            for (int i = 0; i < 200; i++) {
                org.flowbench.engine.random.NoiseSource.gaussian(5, i, 0, x, i * d, d);
            }
            g.addBatch(x, 200);
            Path f = dir.resolve(name);
            try {
                new org.flowbench.engine.metrics.ReferenceStats(new org.flowbench.engine.metrics.ReferenceStats
                        .Identity("x", "-", 0, "identity", "-", "-", "float"), g).writeNpz(f);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return f;
        };
        Path ref64 = npz.apply(64, "ref64.npz");
        Path ref32 = npz.apply(32, "ref32.npz");
        assertNotNull(vm.useReference(ref64));
        assertNotNull(vm.useReference(ref32, "identity"), "32-d statistics for 64-d features");
        assertEquals("default", vm.referenceStatsProperty().get(), "nothing changed");
        assertNull(vm.useReference(ref64, "identity"));
        assertEquals(ref64.toAbsolutePath() + "|identity", vm.referenceStatsProperty().get());
        assertEquals("ref64.npz (features identity)", vm.referenceLabelProperty().get());
        vm.load(vm.toProject().withLanes(List.of(new LaneSpec("E8", "euler", Map.of("steps", "8")))));
        vm.nProperty().set(80);
        vm.batchProperty().set(40);
        assertNull(vm.run());
        LaneViewModel l = vm.lanes().get(0);
        assertEquals(LaneStatus.DONE, l.statusProperty().get(), l.messageProperty().get());
        assertTrue(Double.isFinite(l.metric("fid")) && l.metric("fid") > 0, "FID against the .npz: " + l.metric("fid"));
    }

    @Test
    void laneEditorAddsDuplicatesRemovesReordersAndValidates() {
        MainViewModel vm = vm();
        vm.load(Project.analyticComparison().withLanes(List.of()));
        LaneViewModel a = vm.addLane("euler");
        LaneViewModel b = vm.addLane("heun");
        assertEquals("euler", a.name());
        assertTrue(vm.dirtyProperty().get());
        a.param("steps").textProperty().set("8");
        LaneViewModel c = vm.duplicate(a);
        assertEquals("euler copy", c.name());
        assertEquals("8", c.param("steps").text());
        assertEquals(List.of(a, c, b), List.copyOf(vm.lanes()));
        vm.move(b, -2);
        assertEquals(List.of(b, a, c), List.copyOf(vm.lanes()));
        vm.remove(c);
        assertEquals(List.of(b, a), List.copyOf(vm.lanes()));
        assertEquals(new LaneSpec("euler", "euler", Map.of("steps", "8")), a.toSpec(), "only non-defaults stored");

        a.param("steps").textProperty().set("0");
        assertFalse(a.isValid());
        assertTrue(a.param("steps").errorProperty().get().contains("out of range"), a.param("steps").errorProperty().get());
        assertTrue(a.param("steps").help().contains("int in [1, 100000]"), a.param("steps").help());
        a.param("steps").textProperty().set("abc");
        assertTrue(a.param("steps").errorProperty().get().contains("not a valid value"));
        String err = vm.run();
        assertNotNull(err, "invalid lanes do not run");
        assertTrue(err.contains("euler: parameter 'steps'"), err);
        assertFalse(vm.runningProperty().get());
        a.param("steps").textProperty().set("4");
        assertTrue(a.isValid());
        a.param("grid").textProperty().set("spiral");
        assertFalse(a.isValid(), "choices are validated");

        b.setSampler("rk4", Map.of());
        assertEquals("rk4", b.toSpec().sampler());
        assertEquals("32", b.param("steps").text(), "same-named parameters carry over");
    }

    /**
     * Autosaves written on a pool could finish out of order and leave an older snapshot on disk (seen as a lane's
     * interim "stopped" replacing its "done"). Here the background runs queued tasks newest first, as a pool may: the
     * file still holds the newest snapshot.
     */
    @Test
    void theNewestAutosaveWinsWhateverOrderTheBackgroundRunsIn() throws Exception {
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        Workspace ws = new Workspace(dir.resolve("ws"));
        MainViewModel vm = new MainViewModel(UiExecutor.DIRECT, ws, Models::open, queued::add, Runnable::run);
        while (!queued.isEmpty()) {
            queued.remove(0).run(); // the initial model load, in order
        }
        vm.projectNameProperty().set("older");
        vm.autosave();
        vm.projectNameProperty().set("newer");
        vm.autosave();
        while (!queued.isEmpty()) {
            queued.remove(queued.size() - 1).run();
        }
        assertEquals("newer", org.flowbench.app.project.ProjectFiles.read(ws.autosaveFile()).name());
    }

    /**
     * Every finished batch reaches the window's autosave while the run goes on: a crash in the middle of a run leaves a
     * project whose lanes say how far they got (stopped, with their images and metrics so far).
     */
    @Test
    void finishedBatchesReachTheAutosaveDuringTheRun() throws Exception {
        Path ws = dir.resolve("ws");
        String[] seen = {null};
        int[] calls = {0};
        MainViewModel vm = new MainViewModel(UiExecutor.DIRECT, new Workspace(ws), ref -> {
            org.flowbench.engine.model.FlowModel m = Models.open("builtin:3modes");
            if (!ref.equals("test:spy")) {
                return m;
            }
            return new org.flowbench.app.testing.DelegatingModel(m) {
                @Override
                public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
                    // the first evaluation of the third batch: what would a crash now leave?
                    if (calls[0]++ == 2 * 8) {
                        try (var files = java.nio.file.Files.list(ws.resolve("sessions"))) {
                            Path auto = files.filter(f -> f.toString().endsWith(".flowbench")).findFirst().orElseThrow();
                            seen[0] = java.nio.file.Files.readString(auto);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    super.velocity(x, n, t, labels, out);
                }
            };
        }, Runnable::run, Runnable::run);
        vm.load(Project.analyticComparison().withLanes(List.of(new LaneSpec("E8", "euler", Map.of("steps", "8")),
                new LaneSpec("spy", "euler", Map.of("steps", "8"), "test:spy", null))));
        vm.nProperty().set(400);
        vm.batchProperty().set(100);
        assertNull(vm.run());
        assertNotNull(seen[0], "the spy lane ran its third batch");
        Path copy = dir.resolve("mid-run.flowbench");
        java.nio.file.Files.writeString(copy, seen[0]);
        Project mid = org.flowbench.app.project.ProjectFiles.read(copy);
        org.flowbench.app.project.LaneResult e8 = mid.results().stream().filter(r -> r.lane().equals("E8"))
                .findFirst().orElseThrow();
        assertEquals("stopped", e8.status());
        assertEquals(300, e8.images(), "E8 had finished three batches");
        assertTrue(e8.metrics().containsKey("nfePerImage"), e8.metrics().toString());
    }

    @Test
    void runSaveReopenKeepsLanesAndMetrics() throws Exception {
        MainViewModel vm = vm();
        vm.load(Project.analyticComparison().withLanes(List.of(new LaneSpec("E8", "euler", Map.of("steps", "8")),
                new LaneSpec("H8", "heun", Map.of("steps", "8")))));
        vm.nProperty().set(400);
        vm.batchProperty().set(100);
        vm.seedPolicyProperty().set(SeedPolicy.INCREMENT);
        assertNull(vm.run());
        assertFalse(vm.runningProperty().get(), "the run is over when run() returns");
        LaneViewModel h = vm.lanes().get(1);
        assertEquals(LaneStatus.DONE, h.statusProperty().get());
        assertEquals(400, h.metric("images"));
        assertEquals(16.0, h.metric("nfePerImage"));
        assertTrue(Double.isFinite(h.metric("fid")) && Double.isFinite(h.metric("meanMs")));
        assertEquals(4, h.history().size(), "one point per batch of 100");
        assertEquals(800, h.samplesProperty().get().length);
        assertEquals(1, vm.seedProperty().get(), "INCREMENT moved the seed on");
        assertEquals(0, vm.lastRunSeed(), "the recipe still names the seed the images came from");
        String recipe = vm.recipe(h, 5);
        var json = org.flowbench.engine.io.Json.MAPPER.readTree(recipe);
        assertEquals(0, json.path("seed").asLong(), recipe);
        assertEquals(5, json.path("image").asLong());
        assertEquals(8, json.path("params").path("steps").asInt());
        assertEquals("auto", json.path("params").path("grid").asText(), "every parameter, defaults included");
        assertEquals("cpu", json.path("device").asText());
        assertEquals(16.0, json.path("cost").path("network").asDouble());
        h.param("steps").textProperty().set("3");
        assertEquals(8, org.flowbench.engine.io.Json.MAPPER.readTree(vm.recipe(h, 5)).path("params").path("steps")
                .asInt(), "the recipe is what ran, not what the lane is set to now");
        h.param("steps").textProperty().set("8");

        Path f = dir.resolve("cmp");
        assertNull(vm.saveAs(f));
        Path saved = dir.resolve("cmp.flowbench");
        assertTrue(Files.exists(saved));
        assertFalse(vm.dirtyProperty().get());
        double fid = h.metric("fid");

        MainViewModel other = vm();
        assertNull(other.open(saved));
        assertEquals(List.of("E8", "H8"), other.lanes().stream().map(LaneViewModel::name).toList());
        assertEquals("8", other.lanes().get(1).param("steps").text());
        assertEquals(fid, other.lanes().get(1).metric("fid"), 1e-12);
        assertEquals(LaneStatus.DONE, other.lanes().get(1).statusProperty().get());
        assertEquals(List.of(saved.toAbsolutePath()), other.recent());
        // the quality-vs-N history comes back with the project: same points, same figures
        LaneViewModel back = other.lanes().get(1);
        assertEquals(h.history().stream().map(LaneStats::images).toList(),
                back.history().stream().map(LaneStats::images).toList());
        assertEquals(h.history().get(1).get("fid"), back.history().get(1).get("fid"), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(h.samplesProperty().get(),
                other.lanes().get(1).samplesProperty().get(), 0, "samples saved next to the project, bit for bit");
    }

    @Test
    void damagedFileChangesNothing() throws Exception {
        MainViewModel vm = vm();
        Path bad = dir.resolve("bad.flowbench");
        Files.writeString(bad, "{\"schemaVersion\": 1, \"model\": ");
        List<String> before = vm.lanes().stream().map(LaneViewModel::name).toList();
        String err = vm.open(bad);
        assertNotNull(err);
        assertTrue(err.contains("is damaged"), err);
        assertEquals(before, vm.lanes().stream().map(LaneViewModel::name).toList());
        assertNull(vm.projectFileProperty().get());
        assertEquals(err, vm.statusTextProperty().get(), "shown in place");
    }

    @Test
    void rerunReproducesTheSameImage() throws Exception {
        MainViewModel vm = vm();
        vm.load(Project.analyticComparison().withLanes(List.of(new LaneSpec("E8", "euler", Map.of("steps", "8")))));
        vm.nProperty().set(50);
        vm.batchProperty().set(25);
        assertNull(vm.run());
        assertFalse(vm.runningProperty().get(), "the run is over when run() returns");
        double[][] got = new double[1][];
        vm.rerun(vm.lanes().get(0), 37, b -> got[0] = b.samples(), msg -> { throw new AssertionError(msg); });
        double[] s = vm.lanes().get(0).samplesProperty().get();
        assertEquals(s[74], got[0][0], 0);
        assertEquals(s[75], got[0][1], 0);
    }

    @Test
    void imageModelLaneKeepsAGridOfImages() throws Exception {
        MainViewModel vm = vm();
        vm.load(new Project(1, "img", FakeImageModel.REF, null, "", 40, 20, 0, SeedPolicy.FIXED, 1, "exact",
                List.of(new LaneSpec("E4", "euler", Map.of("steps", "4"))), List.of()));
        assertModelLoaded(vm);
        assertTrue(vm.modelProperty().get().isImage());
        assertNull(vm.run());
        assertFalse(vm.runningProperty().get(), "the run is over when run() returns");
        LaneViewModel l = vm.lanes().get(0);
        assertEquals(LaneStatus.DONE, l.statusProperty().get());
        assertEquals(40 * 64, l.samplesProperty().get().length);
        assertTrue(Double.isNaN(l.metric("fid")), "no reference statistics: FID absent, not 0");
        assertNull(vm.saveAs(dir.resolve("img.flowbench")));
        Path png = dir.resolve("img.samples/01-e4/00003.png");
        assertTrue(Files.exists(png), "images saved as PNG next to the project");
        var reader = javax.imageio.ImageIO.getImageReadersByFormatName("png").next();
        try (var in = javax.imageio.ImageIO.createImageInputStream(png.toFile())) {
            reader.setInput(in);
            var meta = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            String xml = nodeText((org.w3c.dom.Node) meta);
            assertTrue(xml.contains("flowbench-recipe") && xml.contains("\"image\" : 3"), xml);
        }
        // File ▸ Recall (or a drop) of that PNG: a new unsaved project with its recipe, and the image re-run and compared
        assertNull(vm.recall(png));
        assertEquals(List.of("E4"), vm.lanes().stream().map(LaneViewModel::name).toList());
        assertEquals("4", vm.lanes().get(0).toSpec().params().get("steps"));
        assertEquals(FakeImageModel.REF, vm.modelRefProperty().get());
        assertEquals(4, vm.nProperty().get(), "N covers image 3");
        assertNull(vm.projectFileProperty().get());
        assertTrue(vm.dirtyProperty().get());
        assertEquals("reproduced bit for bit", vm.recallCheckProperty().get());
        assertTrue(vm.statusTextProperty().get().endsWith("reproduced bit for bit"), vm.statusTextProperty().get());
        // a file that holds no recipe changes nothing
        Files.writeString(dir.resolve("x.json"), "{\"a\": 1}");
        assertTrue(vm.recall(dir.resolve("x.json")).contains("no Flowbench recipe"));
        assertEquals(List.of("E4"), vm.lanes().stream().map(LaneViewModel::name).toList());
    }
}
