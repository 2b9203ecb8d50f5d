package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.app.project.Workspace;
import org.flowbench.app.session.LaneStatus;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A small job on the built-in Fashion-MNIST flow in the real window (headless Monocle): two Euler lanes, N 8 in one
 * batch, domain FID against the statistics the model declares. 9–15 s on the 2-core dev VM (load 3–8), so not
 * tagged slow.
 */
@ExtendWith(ApplicationExtension.class)
class FashionWorkbenchGuiTest {
    @TempDir
    static Path dir;

    MainViewModel vm;
    MainView view;

    @Start
    void start(Stage stage) {
        vm = new MainViewModel(UiExecutor.fxBatched(100), new Workspace(dir.resolve("ws")), Models::open);
        view = new MainView(vm, stage, "light");
        Scene scene = new Scene(view, 1280, 800);
        scene.getStylesheets().setAll(Workbench.stylesheets("light"));
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void smallRunOnTheBuiltinModelShowsPreviewsGridAndDomainFid(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(PackageResolver.defaultReferenceStats("builtin:fashion-flow").isPresent(),
                "builtin:fashion-flow or the classifier statistics are not installed");
        // what plain 'flowbench' opens, cut down to two cheap lanes
        Project demo = Project.defaultComparison();
        assertEquals("builtin:fashion-flow", demo.model());
        Project small = new Project(1, "fashion-small", demo.model(), null, "", 8, 8, 0, SeedPolicy.FIXED, 1,
                demo.referenceStats(), List.of(new LaneSpec("Euler 2", "euler", Map.of("steps", "2")),
                new LaneSpec("Euler 4", "euler", Map.of("steps", "4"))), List.of());
        robot.interact(() -> vm.load(small));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.modelProperty().get() != null);
        assertTrue(vm.modelProperty().get().isImage(), String.valueOf(vm.modelProperty().get().error()));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("model default: fashion-mnist-test.stats",
                robot.lookup("#reference-stats").queryAs(Label.class).getText());

        AtomicInteger previews = new AtomicInteger();
        robot.interact(() -> vm.lanes().forEach(l -> l.previewProperty().addListener((o, a, b) -> {
            if (b != null) {
                previews.incrementAndGet();
            }
        })));
        robot.clickOn("#run");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        for (LaneViewModel l : vm.lanes()) {
            assertEquals(LaneStatus.DONE, l.statusProperty().get(), l.name() + ": " + l.messageProperty().get());
            assertEquals(8 * 784, l.samplesProperty().get().length, "the image grid holds all 8 samples");
            // at N = 8 with 128-d features FID is not estimable; KID is, with its interval
            assertTrue(Double.isNaN(l.metric("fid")), l.name() + " FID at N 8: " + l.metric("fid"));
            assertEquals(129, l.metric("fidMinN"), 0);
            double kid = l.metric("kid");
            assertTrue(Double.isFinite(kid) && l.metric("kidLow") <= kid && kid <= l.metric("kidHigh"),
                    l.name() + " KID " + kid);
            Label fidLabel = (Label) view.columns().get(l).lookup("#fid");
            assertEquals("n/a (N < 129)", fidLabel.getText());
            assertTrue(((Label) view.columns().get(l).lookup("#kid")).getText().contains("["));
        }
        assertTrue(previews.get() > 0, "intermediate previews reached the view");
        // the two lanes are also compared image by image (paired KID): each has a rank from it
        for (LaneViewModel l : vm.lanes()) {
            double rank = l.metric("kidRank");
            assertTrue(rank == 1 || rank == 2, l.name() + " paired rank " + rank);
        }
        // fewer steps, worse samples: Euler 2 is further from the test set than Euler 4 even at N 8
        assertTrue(vm.lanes().get(0).metric("kid") > vm.lanes().get(1).metric("kid"),
                "KID Euler 2 " + vm.lanes().get(0).metric("kid") + " vs Euler 4 " + vm.lanes().get(1).metric("kid"));
        robot.interact(() -> view.panels().refresh());
        assertEquals(2, view.panels().qualityChart().getData().size(), "one quality-vs-N series per lane");
        assertTrue(view.panels().qualityChart().getData().get(0).getData().size() >= 1,
                "the quality panel shows KID while FID is not estimable");
        SampleCanvas c = view.columns().get(vm.lanes().get(1)).canvas();
        assertTrue(c.getWidth() > 0 && c.getHeight() > 0, "image grid drawn");
        // inspector A/B wipe: image 3 of Euler 2 (A) against image 3 of Euler 4 (B), same seed
        LaneViewModel a = vm.lanes().get(0);
        LaneViewModel b = vm.lanes().get(1);
        robot.interact(() -> {
            view.inspector().select(a, 3);
            view.panels().getSelectionModel().select(view.panels().inspectorTab());
        });
        int[] shape = {1, 28, 28};
        for (double split : new double[] {1.0, 0.0, 0.5}) {
            robot.interact(() -> view.inspector().wipeSlider().setValue(split));
            var img = view.inspector().imageView().getImage();
            var pa = SampleCanvas.toImage(a.samplesProperty().get(), 3, shape).getPixelReader();
            var pb = SampleCanvas.toImage(b.samplesProperty().get(), 3, shape).getPixelReader();
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int want = (x < Math.round(split * 28) ? pa : pb).getArgb(x, y);
                    assertEquals(want, img.getPixelReader().getArgb(x, y), "wipe " + split + " at " + x + "," + y);
                }
            }
        }
        // results match the settings until one changes: then every lane says it is stale, and why
        Label stale = (Label) view.columns().get(a).lookup("#stale");
        assertEquals("", stale.getText());
        long seed = vm.seedProperty().get();
        robot.interact(() -> vm.seedProperty().set(seed + 1));
        assertEquals("stale: made with seed " + seed + ", now " + (seed + 1), stale.getText());
        robot.interact(() -> vm.seedProperty().set(seed));
        assertEquals("", stale.getText());
        Path shot = Path.of(System.getProperty("flowbench.repo", "."), "app", "target", "fashion-gui-test.png");
        robot.interact(() -> {
            try {
                ReportExporter.writePng(view.getScene().snapshot(null), shot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
