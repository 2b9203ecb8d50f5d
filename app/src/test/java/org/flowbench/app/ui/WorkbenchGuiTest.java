package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.app.project.Workspace;
import org.flowbench.app.session.LaneStatus;
import org.flowbench.app.testing.FakeImageModel;
import org.flowbench.engine.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real window in headless Monocle, driven through TestFX. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchGuiTest {
    @TempDir
    static Path dir;

    /** The executor the app uses. */
    static final UiExecutor UI = UiExecutor.fxBatched(100);
    MainViewModel vm;
    MainView view;

    @Start
    void start(Stage stage) {
        vm = new MainViewModel(UI, new Workspace(dir.resolve("ws-" + System.nanoTime())),
                ref -> ref.equals(FakeImageModel.REF) ? new FakeImageModel() : Models.open(ref));
        view = new MainView(vm, stage, "light");
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().setAll(Workbench.stylesheets("light"));
        stage.setScene(scene);
        stage.show();
    }

    private void awaitIdle() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String text(FxRobot r, String query) {
        return r.lookup(query).queryAs(Label.class).getText();
    }

    /** Quitting with unsaved changes asks first: Cancel keeps the window, Don't Save lets it close. */
    @Test
    void quittingADirtyProjectAsksFirst(FxRobot robot) throws Exception {
        robot.interact(() -> vm.dirtyProperty().set(true));
        Stage stage = (Stage) view.getScene().getWindow();
        // fired later, not inside interact(): the dialog waits in a nested event loop until it is answered
        javafx.application.Platform.runLater(() -> stage.fireEvent(new javafx.stage.WindowEvent(stage,
                javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(stage.isShowing(), "Cancel keeps the window and the project");
        javafx.application.Platform.runLater(() -> stage.fireEvent(new javafx.stage.WindowEvent(stage,
                javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Don't Save");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!stage.isShowing(), "Don't Save closes");
    }

    @Test
    void aDamagedProjectIsRefusedInADialogAndChangesNothing(FxRobot robot, @org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path bad = tmp.resolve("damaged.flowbench");
        java.nio.file.Files.writeString(bad, "{ \"schemaVersion\": 2, \"lanes\": [");
        robot.interact(() -> vm.load(Project.analyticComparison()));
        List<String> before = vm.lanes().stream().map(LaneViewModel::name).toList();
        robot.interact(() -> view.openFile(bad));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup("#open-error").queryAs(javafx.scene.control.DialogPane.class);
        assertEquals("Cannot open damaged.flowbench", pane.getHeaderText());
        assertTrue(pane.getContentText().contains("is damaged") && pane.getContentText().contains("not changed")
                && !pane.getContentText().contains("Exception"), pane.getContentText());
        robot.interact(() -> ((Stage) pane.getScene().getWindow()).close());
        assertEquals(before, vm.lanes().stream().map(LaneViewModel::name).toList(), "the open project is unchanged");
    }

    @Test
    void twoLanesThroughTheUiRunSaveReopen(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.load(Project.analyticComparison().withLanes(List.of()));
            vm.nProperty().set(600);
            vm.batchProperty().set(100);
        });
        robot.clickOn("#add-lane").clickOn("#add-euler");
        TextField steps = robot.lookup("#param-steps").queryAs(TextField.class);
        robot.doubleClickOn(steps).eraseText(steps.getText().length() + 2).write("0");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#error-steps").queryAs(Label.class).isVisible(), "range error shown in place");
        // ControlsFX's validation decoration: a mark on the field with the reason, and the field's invalid style
        assertTrue(steps.getStyleClass().contains("invalid"), steps.getStyleClass().toString());
        assertFalse(org.controlsfx.control.decoration.Decorator.getDecorations(steps).isEmpty(), "decorated");
        String shots = System.getProperty("flowbench.screenshots");
        if (shots != null) {
            robot.interact(() -> {
                try {
                    ReportExporter.writePng(steps.getScene().snapshot(null), java.nio.file.Path.of(shots,
                            "validation.png"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        robot.doubleClickOn(steps).eraseText(3).write("8");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup("#error-steps").queryAs(Label.class).isVisible());
        assertFalse(steps.getStyleClass().contains("invalid"));
        assertTrue(org.controlsfx.control.decoration.Decorator.getDecorations(steps) == null
                || org.controlsfx.control.decoration.Decorator.getDecorations(steps).isEmpty(), "decoration gone");
        robot.clickOn("#add-lane").clickOn("#add-heun");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, vm.lanes().size());
        assertEquals(Map.of("steps", "8"), vm.lanes().get(0).toSpec().params());
        assertEquals(2, view.laneStrip().getChildren().size(), "one column per lane");

        AtomicInteger previews = new AtomicInteger();
        robot.interact(() -> vm.lanes().forEach(l -> l.previewProperty().addListener((o, a, b) -> {
            if (b != null) {
                previews.incrementAndGet();
            }
        })));
        robot.press(KeyCode.CONTROL).press(KeyCode.ENTER).release(KeyCode.ENTER).release(KeyCode.CONTROL);
        awaitIdle();
        LaneViewModel euler = vm.lanes().get(0);
        assertEquals(LaneStatus.DONE, euler.statusProperty().get(), String.valueOf(euler.messageProperty().get()));
        assertEquals(LaneStatus.DONE, vm.lanes().get(1).statusProperty().get());
        assertTrue(previews.get() > 0, "previews reached the view");
        assertEquals("600", text(robot, "#lane-0 .metric-value"));
        robot.interact(() -> view.panels().refresh());
        assertEquals(2, view.panels().qualityChart().getData().size());
        assertTrue(view.panels().qualityChart().getData().get(0).getData().size() >= 2, "FID vs N has points");
        assertEquals(2, view.panels().latencyChart().getData().get(0).getData().size());
        assertEquals(1, view.panels().costChart().getData().get(1).getData().size());

        // inspector: click the first lane's canvas near a sample
        robot.interact(() -> view.columns().get(euler).canvas().highlight(0));
        LaneColumn col = view.columns().get(euler);
        double[] s = euler.samplesProperty().get();
        robot.interact(() -> {
            view.inspector().select(euler, 3);
            view.panels().getSelectionModel().select(view.panels().inspectorTab());
        });
        String recipe = robot.lookup("#recipe").queryAs(javafx.scene.control.TextArea.class).getText();
        assertTrue(recipe.contains("\"image\" : 3"), recipe);
        robot.clickOn("#rerun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#rerun-result").queryAs(Label.class)
                .getText().contains("identical"));
        assertTrue(s.length == 1200 && col != null);

        Path report = dir.resolve("report");
        robot.interact(() -> {
            try {
                new ReportExporter(vm, view).export(report);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String html = java.nio.file.Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<td>euler</td>") && html.contains("img/lane-01.png"), html);
        assertEquals(List.of("euler", "heun"), view.panels().costChart().pointLabels(), "every marker is labelled");
        for (String chart : List.of("quality-vs-n", "latency", "quality-vs-cost")) {
            // every chart laid out and drawn, whichever tab was showing
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(report.resolve("img/" + chart + ".png")
                    .toFile());
            assertTrue(img.getWidth() > 300 && img.getHeight() > 150, chart + " " + img.getWidth() + "x"
                    + img.getHeight());
            if (!chart.equals("latency")) {
                // the first lane's colour (#2f6fd6) is drawn: the chart holds data, not only axes
                int lane0 = 0;
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) {
                        int rgb = img.getRGB(x, y);
                        if (Math.abs((rgb >> 16 & 255) - 0x2f) < 12 && Math.abs((rgb >> 8 & 255) - 0x6f) < 12
                                && Math.abs((rgb & 255) - 0xd6) < 12) {
                            lane0++;
                        }
                    }
                }
                assertTrue(lane0 > 20, chart + ": " + lane0 + " pixels of the first lane's colour");
            }
        }
        assertEquals(3, java.nio.file.Files.readAllLines(report.resolve("metrics.csv")).size(), "header + 2 lanes");

        Path file = dir.resolve("gui.flowbench");
        robot.interact(() -> assertNull(vm.saveAs(file)));
        double fid = euler.metric("fid");
        robot.interact(() -> vm.newProject());
        assertEquals(4, vm.lanes().size());
        robot.interact(() -> assertNull(vm.open(file)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("euler", "heun"), vm.lanes().stream().map(LaneViewModel::name).toList());
        assertEquals(fid, vm.lanes().get(0).metric("fid"), 1e-12);
        assertEquals(2, view.laneStrip().getChildren().size());
        assertEquals("600", text(robot, "#lane-0 .metric-value"), "saved metrics shown after reopening");
        // the charts are rebuilt for the opened project: its lanes only, with their saved quality-vs-N points
        robot.interact(() -> view.panels().refresh());
        assertEquals(List.of("euler", "heun"), view.panels().qualityChart().getData().stream()
                .map(javafx.scene.chart.XYChart.Series::getName).toList());
        assertTrue(view.panels().qualityChart().getData().get(0).getData().size() > 1, "saved history shown");
        assertEquals(List.of("euler", "heun"), view.panels().costChart().pointLabels());
    }

    @Test
    void stopMidRunKeepsFinishedImagesAndTheFxThreadStaysResponsive(FxRobot robot) throws Exception {
        // warm-up: a short run of the same lanes, so classes, skins and CSS are loaded before the measurement
        Project warm = new Project(1, "warm", "builtin:3modes", null, "", 1000, 500, 0, SeedPolicy.FIXED, 2,
                "exact", List.of(new LaneSpec("E64", "euler", Map.of("steps", "64")),
                new LaneSpec("H32", "heun", Map.of("steps", "32")),
                new LaneSpec("E8", "euler", Map.of("steps", "8")),
                new LaneSpec("bad", "euler", Map.of("grid", "list", "times", "0,0.5"))), List.of());
        robot.interact(() -> {
            vm.load(warm);
            vm.run();
        });
        awaitIdle();
        robot.interact(() -> view.panels().refresh());
        Thread.sleep(600);
        robot.interact(() -> {
            vm.load(new Project(1, "slow", "builtin:3modes", null, "", 200_000, 500, 0, SeedPolicy.FIXED, 2,
                    "exact", List.of(new LaneSpec("E64", "euler", Map.of("steps", "64")),
                    new LaneSpec("H32", "heun", Map.of("steps", "32")),
                    new LaneSpec("E8", "euler", Map.of("steps", "8")),
                    new LaneSpec("bad", "euler", Map.of("grid", "list", "times", "0,0.5"))), List.of()));
        });
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(600);
        Thread[] fx = new Thread[1];
        robot.interact(() -> fx[0] = Thread.currentThread());
        List<Thread> watched = new java.util.ArrayList<>(List.of(fx[0]));
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("QuantumRenderer"))
                .forEach(watched::add);
        FxHeartbeat heartbeat = new FxHeartbeat(watched);
        try {
            robot.clickOn("#run");
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.lanes().get(2).statsProperty().get().images() >= 2000);
            Thread.sleep(1500);
            AtomicLong ack = new AtomicLong();
            robot.interact(() -> vm.statusTextProperty().addListener((o, a, b) -> {
                if (b.startsWith("Stopping")) {
                    ack.set(System.nanoTime());
                }
            }));
            robot.type(KeyCode.ESCAPE);
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.session().isStopRequested() && ack.get() != 0);
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.session().isFinished());
            double stopMs = (System.nanoTime() - ack.get()) / 1e6;
            awaitIdle();
            assertTrue(stopMs < 3000, "the session ended " + stopMs + " ms after Stop was acknowledged");
        } finally {
            heartbeat.close();
        }
        System.err.println("heartbeat: " + heartbeat.report() + "; plain-thread lateness "
                + heartbeat.controlLatenessMs() + " ms");
        assertTrue(heartbeat.beats() > 100, "heartbeats ran: " + heartbeat.beats());
        LaneViewModel e8 = vm.lanes().get(2);
        assertEquals(LaneStatus.STOPPED, e8.statusProperty().get());
        long images = e8.statsProperty().get().images();
        assertTrue(images >= 2000 && images < 200_000 && images % 500 == 0, "finished batches kept: " + images);
        assertEquals(images * 2, e8.samplesProperty().get().length);
        assertTrue(Double.isFinite(e8.metric("fid")), "metrics of finished images kept");
        LaneViewModel bad = vm.lanes().get(3);
        assertEquals(LaneStatus.FAILED, bad.statusProperty().get());
        assertTrue(bad.messageProperty().get().contains("times"), bad.messageProperty().get());
        assertTrue(text(robot, "#lane-3 .lane-message").contains("times"), "failure shown in the column");
        // The heartbeat criterion: the FX thread never worked for more than 50 ms at a stretch (its CPU time within
        // one delay) and never sat blocked or asleep in Flowbench code that long. Time it stood in the run queue while
        // sampling threads had both cores, or waited for the software renderer, is not its work. Where Linux does not
        // report the thread's times, the raw delay is judged, and only on a machine that runs a plain thread on time
        // (otherwise the check is reported as aborted, not passed).
        if (!heartbeat.schedulerShareKnown()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(heartbeat.controlLatenessMs() < 20, "machine overloaded: a "
                    + "plain 5 ms tick ran " + heartbeat.controlLatenessMs() + " ms late, so FX-thread blocking ("
                    + heartbeat.maxDelayMs() + " ms) cannot be judged");
            assertTrue(heartbeat.maxOwnMs() < 50, "FX thread blocked during the run: " + heartbeat.report());
        } else {
            assertTrue(heartbeat.maxCpuMs() < 50 && heartbeat.maxBlockedInFlowbenchMs() < 50,
                    "FX thread busy or blocked during the run: " + heartbeat.report());
        }
    }

    /**
     * Lanes share the width down to {@value LaneColumn#MIN_WIDTH} px, their image grids scaled with them, then the
     * strip scrolls: in this 1280 px window four lanes fit side by side (six in a 1600 px one), a fifth scrolls.
     * (The window keeps the headless screen's size: TestFX shares one stage between test classes.)
     */
    @Test
    void lanesFitTheWindowThenScroll(FxRobot robot) throws Exception {
        java.util.function.IntFunction<List<LaneSpec>> lanes = k -> java.util.stream.IntStream.range(0, k)
                .mapToObj(i -> new LaneSpec("E" + (i + 1), "euler", Map.of("steps", String.valueOf(i + 1))))
                .toList();
        robot.interact(() -> vm.load(Project.analyticComparison().withLanes(lanes.apply(4))));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ScrollPane scroll = robot.lookup("#lanes-scroll").queryAs(javafx.scene.control.ScrollPane.class);
        double viewport = scroll.getViewportBounds().getWidth();
        assertTrue(view.laneStrip().getWidth() <= viewport + 1, "four lanes fit: strip " + view.laneStrip().getWidth()
                + " in " + viewport);
        LaneColumn first = view.columns().get(vm.lanes().get(0));
        assertTrue(first.getWidth() < LaneColumn.MAX_WIDTH && first.getWidth() >= LaneColumn.MIN_WIDTH,
                "columns narrowed to fit: " + first.getWidth());
        assertTrue(first.canvas().getWidth() <= first.getWidth() - 16, "the image grid scales with its column");
        robot.interact(() -> vm.load(Project.analyticComparison().withLanes(lanes.apply(5))));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.laneStrip().getWidth() > scroll.getViewportBounds().getWidth(), "five lanes scroll");
        assertEquals(LaneColumn.MIN_WIDTH, view.columns().get(vm.lanes().get(4)).getWidth(), 0.5);
    }

    @Test
    void imageModelShowsAGrid(FxRobot robot) throws Exception {
        robot.interact(() -> vm.load(new Project(1, "img", FakeImageModel.REF, null, "", 32, 16, 0, SeedPolicy.FIXED,
                1, "exact", List.of(new LaneSpec("E4", "euler", Map.of("steps", "4")),
                new LaneSpec("H4", "heun", Map.of("steps", "4"))), List.of())));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.modelProperty().get() != null
                && vm.modelProperty().get().isImage());
        robot.clickOn("#run");
        awaitIdle();
        LaneViewModel l = vm.lanes().get(1);
        assertEquals(LaneStatus.DONE, l.statusProperty().get());
        SampleCanvas c = view.columns().get(l).canvas();
        assertEquals(5, c.sampleAt(c.getWidth() / 4 * 1.5, c.getWidth() / 4 * 1.5), "cell (1,1) is image 5");
        robot.interact(() -> view.inspector().select(l, 5));
        WaitForAsyncUtils.waitForFxEvents();
        Path shot = Path.of(System.getProperty("flowbench.repo", "."), "app", "target", "image-grid-test.png");
        robot.interact(() -> {
            try {
                ReportExporter.writePng(view.getScene().snapshot(null), shot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        var img = robot.lookup("#inspector .image-view").queryAs(javafx.scene.image.ImageView.class).getImage();
        assertEquals(8, (int) img.getWidth());
        // a pixel of the 8×8 image is bright or dark, as the model's two patterns are
        double v = img.getPixelReader().getColor(3, 3).getBrightness();
        assertTrue(v > 0.8, "centre pixel is on in both patterns: " + v);
    }
}
