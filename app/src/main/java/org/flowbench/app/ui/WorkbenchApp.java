package org.flowbench.app.ui;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application; started through {@link Workbench#launch}, never as the JVM's main class. */
public final class WorkbenchApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchApp.class);

    private MainViewModel vm;
    private Workspace workspace;
    private Stage stage;
    private boolean captured;
    private String startupError;

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        long t0 = ManagementFactory.getRuntimeMXBean().getStartTime();
        LOG.debug("toolkit up {} ms after JVM start", System.currentTimeMillis() - t0);
        Workbench.Options o = Workbench.options;
        boolean batchMode = o.screenshot() != null;
        workspace = Workspace.user();
        // a crashed window's project (the newest, if several crashed); windows that still run are never offered
        Optional<Workspace.Recovery> recovered = batchMode || o.project() != null ? Optional.empty()
                : workspace.recoverable().stream().findFirst();
        vm = new MainViewModel(UiExecutor.fxBatched(100), workspace);
        vm.holdModelLoads(); // released at the first frame
        if (o.project() == null) {
            vm.load(Project.defaultComparison()); // builtin:fashion-flow when installed, else builtin:3modes
        } else {
            String err = vm.open(o.project());
            if (err != null) {
                LOG.error("{}", err);
                Workbench.EXIT.set(2);
                if (batchMode) {
                    Platform.exit();
                    return;
                }
                startupError = err;
            }
        }
        workspace.opened();
        LOG.debug("view model ready {} ms after JVM start", System.currentTimeMillis() - t0);
        view = new MainView(vm, primary, o.theme());
        LOG.debug("view built {} ms after JVM start", System.currentTimeMillis() - t0);
        Scene scene = new Scene(view, o.width(), o.height());
        scene.getStylesheets().setAll(Workbench.stylesheets(o.theme()));
        primary.setScene(scene);
        var icon = WorkbenchApp.class.getResource("/org/flowbench/ui/icon.png");
        if (icon != null) {
            primary.getIcons().add(new Image(icon.toExternalForm()));
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // the first frame is on screen when the pulse after the one that rendered the shown window starts
        new javafx.animation.AnimationTimer() {
            private int pulses;

            @Override
            public void handle(long now) {
                if (++pulses == 2) {
                    stop();
                    LOG.info("first frame {} ms after JVM start", System.currentTimeMillis() - jvmStart);
                    vm.releaseModelLoads();
                }
            }
        }.start();
        primary.setOnCloseRequest(e -> {
            if (!batchMode && vm.dirtyProperty().get() && vm.projectFileProperty().get() != null) {
                Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Save changes to "
                        + vm.projectFileProperty().get().getFileName() + "?", ButtonType.YES, ButtonType.NO,
                        ButtonType.CANCEL);
                a.initOwner(primary);
                Optional<ButtonType> r = a.showAndWait();
                if (r.isEmpty() || r.get() == ButtonType.CANCEL) {
                    e.consume();
                    return;
                }
                if (r.get() == ButtonType.YES) {
                    vm.save();
                }
            }
        });
        primary.show();
        if (startupError != null) {
            // a file given on the command line that cannot be opened: said in a dialog, not only in the status bar
            String err = startupError;
            Platform.runLater(() -> view.showOpenError(o.project(), err));
        }
        Timeline autosave = new Timeline(new KeyFrame(Duration.seconds(30), e -> {
            if (vm.dirtyProperty().get()) {
                vm.autosave();
            }
        }));
        autosave.setCycleCount(Timeline.INDEFINITE);
        autosave.play();
        if (recovered.isPresent()) {
            Workspace.Recovery r = recovered.get();
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, "A Flowbench window did not exit cleanly. Restore its "
                    + "autosaved project \"" + r.project().name() + "\"" + (r.project().results().isEmpty() ? ""
                    : " with the results of its finished lanes") + "?", ButtonType.YES, ButtonType.NO);
            a.setHeaderText("Recover unsaved work");
            a.initOwner(primary);
            a.showAndWait().ifPresent(b -> {
                if (b == ButtonType.YES) {
                    vm.load(r.project());
                    vm.dirtyProperty().set(true);
                    vm.autosave();
                    vm.statusTextProperty().set("Recovered the autosaved project; save it to keep it");
                }
                workspace.settle(r);
            });
        }
        if (o.drop() != null) {
            view.dropped(o.drop());
        }
        if (batchMode) {
            PauseTransition guard = new PauseTransition(Duration.minutes(5));
            guard.setOnFinished(e -> {
                LOG.error("screenshot timed out");
                Workbench.EXIT.set(3);
                Platform.exit();
            });
            guard.play();
            if (o.run()) {
                vm.onRunFinished(stopped -> captureSoon(o));
                vm.run();
            } else if (vm.isRecallChecking()) {
                vm.recallCheckProperty().addListener((ob, a, b) -> captureSoon(o));
            } else if (vm.modelProperty().get() != null) {
                captureSoon(o);
            } else {
                vm.modelProperty().addListener((ob, a, b) -> captureSoon(o));
            }
        } else if (o.run()) {
            vm.run();
        }
    }

    private MainView view;

    private void captureSoon(Workbench.Options o) {
        if (captured) {
            return;
        }
        captured = true;
        if (!Double.isNaN(o.wipe())) {
            vm.lanes().forEach(l -> l.wipeProperty().set(o.wipe()));
        }
        if (o.tab() != null) {
            view.panels().getTabs().stream().filter(t -> t.getText().equalsIgnoreCase(o.tab())).findFirst()
                    .ifPresentOrElse(t -> view.panels().getSelectionModel().select(t),
                            () -> LOG.warn("no panel tab '{}'", o.tab()));
        }
        PauseTransition p = new PauseTransition(Duration.millis(700));
        p.setOnFinished(e -> {
            try {
                if (o.saveAs() != null) {
                    String err = vm.saveAs(o.saveAs());
                    if (err != null) {
                        throw new java.io.IOException(err);
                    }
                }
                if (o.report() != null) {
                    new ReportExporter(vm, view).export(o.report());
                    LOG.info("wrote report {}", o.report());
                }
                ReportExporter.writePng(stage.getScene().snapshot(null), o.screenshot());
                LOG.info("wrote screenshot {}", o.screenshot());
            } catch (java.io.IOException | RuntimeException ex) {
                LOG.error("screenshot failed: {}", ex.toString());
                Workbench.EXIT.set(1);
            }
            Platform.exit();
        });
        p.play();
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.shutdown();
        }
        if (workspace != null) {
            workspace.closedCleanly();
        }
    }
}
