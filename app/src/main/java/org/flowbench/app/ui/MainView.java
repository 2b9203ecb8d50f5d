package org.flowbench.app.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.engine.Versions;

/** The main window: menus, toolbar, setup pane, lane columns side by side, live panels, inspector, status bar. */
public final class MainView extends BorderPane {
    /** Keyboard shortcuts, listed in Help → Keyboard shortcuts. */
    static final String[][] SHORTCUTS = {
        {"Ctrl+Enter", "Run all lanes"}, {"Esc", "Stop the run (finished images are kept)"},
        {"Ctrl+N", "New project"}, {"Ctrl+O", "Open project"}, {"Ctrl+S", "Save"}, {"Ctrl+Shift+S", "Save As"},
        {"Ctrl+R", "Recall a PNG, manifest or metrics.json (or drop it on the window)"},
        {"Ctrl+E", "Export HTML report"}, {"Ctrl+D", "Duplicate the selected lane"}, {"Ctrl+T", "Toggle light/dark"},
        {"F1", "Keyboard shortcuts"}, {"Ctrl+Q", "Quit"}};

    private final MainViewModel vm;
    private final Stage stage;
    private final HBox laneStrip = new HBox();
    private ScrollPane lanesScroll;
    private final PanelsView panels;
    private final InspectorView inspector;
    private final Map<LaneViewModel, LaneColumn> columns = new HashMap<>();
    private final Menu recentMenu = new Menu("Open Recent");
    private String theme;
    private final Button runButton = new Button("▶ Run");
    private final Button stopButton = new Button("■ Stop");

    public MainView(MainViewModel vm, Stage stage, String theme) {
        this.vm = vm;
        this.stage = stage;
        this.theme = theme;
        setId("main");
        inspector = new InspectorView(vm);
        panels = new PanelsView(vm, inspector);
        // the window's content sits in ControlsFX's decoration layer from the start: validation marks need one above
        // the fields, and ControlsFX would otherwise swap the scene's root for one at the first mark
        BorderPane content = new BorderPane();
        impl.org.controlsfx.skin.DecorationPane decorations = new impl.org.controlsfx.skin.DecorationPane();
        decorations.setRoot(content);
        super.setCenter(decorations);
        content.setTop(new VBox(menus(), toolbar()));
        ScrollPane left = new ScrollPane(new SetupPane(vm));
        left.setFitToWidth(true);
        left.setPrefWidth(340);
        left.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        content.setLeft(left);
        laneStrip.getStyleClass().add("lane-strip");
        laneStrip.setId("lane-strip");
        ScrollPane lanesScroll = new ScrollPane(laneStrip);
        lanesScroll.setFitToHeight(true);
        lanesScroll.setId("lanes-scroll");
        // columns share the width down to a minimum, then the strip scrolls
        lanesScroll.viewportBoundsProperty().addListener((o, a, b) -> fitColumns(b.getWidth()));
        this.lanesScroll = lanesScroll;
        SplitPane center = new SplitPane(lanesScroll, panels);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.62);
        content.setCenter(center);
        StatusBar status = new StatusBar();
        status.textProperty().bind(vm.statusTextProperty());
        status.setId("status-bar");
        content.setBottom(status);
        vm.lanes().addListener((ListChangeListener<LaneViewModel>) c -> rebuildColumns());
        vm.selectedLaneProperty().addListener((o, a, b) -> columns.forEach((l, col) -> col.setSelected(l == b)));
        rebuildColumns();
        vm.recent().addListener((ListChangeListener<Path>) c -> rebuildRecent());
        rebuildRecent();
        vm.projectFileProperty().addListener((o, a, b) -> updateTitle());
        vm.dirtyProperty().addListener((o, a, b) -> updateTitle());
        vm.projectNameProperty().addListener((o, a, b) -> updateTitle());
        updateTitle();
        // drop a project to open it, or a PNG / manifest / metrics.json that Flowbench wrote to recall its recipe
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().size() == 1) {
                e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && e.getDragboard().getFiles().size() == 1;
            if (ok) {
                Path f = e.getDragboard().getFiles().get(0).toPath();
                // after the drop has finished: a confirmation dialog inside the drop handler would block the source
                javafx.application.Platform.runLater(() -> dropped(f));
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** A file dropped on the window: a project opens, anything else is recalled. */
    void dropped(Path f) {
        if (vm.runningProperty().get() || !confirmDiscard()) {
            return;
        }
        if (f.getFileName().toString().endsWith(ProjectFiles.EXTENSION)) {
            openFile(f);
        } else {
            recallFile(f);
        }
    }

    private void recallDialog() {
        if (vm.runningProperty().get() || !confirmDiscard()) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Recall a recipe");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Flowbench images, manifests, metrics", "*.png", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = fc.showOpenDialog(stage);
        if (f != null) {
            recallFile(f.toPath());
        }
    }

    private void recallFile(Path f) {
        String err = vm.recall(f);
        if (err != null) {
            Alert a = new Alert(Alert.AlertType.ERROR, err, ButtonType.OK);
            a.setHeaderText("Cannot recall " + f.getFileName());
            a.initOwner(stage);
            a.show();
        }
    }

    private void updateTitle() {
        Path f = vm.projectFileProperty().get();
        stage.setTitle((vm.dirtyProperty().get() ? "• " : "") + (f == null ? vm.projectNameProperty().get()
                : f.getFileName().toString()) + " — Flowbench");
    }

    private void rebuildColumns() {
        laneStrip.getChildren().clear();
        Map<LaneViewModel, LaneColumn> keep = new HashMap<>(columns);
        columns.clear();
        int i = 0;
        for (LaneViewModel l : vm.lanes()) {
            LaneColumn col = keep.get(l);
            if (col == null) {
                col = new LaneColumn(l, i, vm, (lane, idx) -> {
                    vm.selectedLaneProperty().set(lane);
                    inspector.select(lane, idx);
                    panels.getSelectionModel().select(panels.inspectorTab());
                    columns.forEach((x, c) -> c.canvas().highlight(idx));
                });
                col.canvas().setDark(theme.equals("dark"));
                l.statsProperty().addListener((o, a, b) -> refreshRanks());
                l.savedMetricsProperty().addListener((o, a, b) -> refreshRanks());
            }
            col.setSelected(l == vm.selectedLaneProperty().get());
            columns.put(l, col);
            laneStrip.getChildren().add(col);
            i++;
        }
        refreshRanks();
        if (lanesScroll != null) {
            fitColumns(lanesScroll.getViewportBounds().getWidth());
        }
    }

    private void fitColumns(double viewport) {
        int k = columns.size();
        if (k == 0 || viewport <= 0) {
            return;
        }
        javafx.geometry.Insets pad = laneStrip.getPadding();
        double each = (viewport - pad.getLeft() - pad.getRight() - laneStrip.getSpacing() * (k - 1)) / k;
        columns.values().forEach(c -> c.fitWidth(each));
    }

    /** Rank badges where the lanes' figures separate (QualityRanking). */
    private void refreshRanks() {
        List<LaneViewModel> ls = List.copyOf(vm.lanes());
        List<String> badges = QualityRanking.badgesFor(ls.stream()
                .map(l -> (java.util.function.ToDoubleFunction<String>) l::metric).toList());
        for (int k = 0; k < ls.size(); k++) {
            LaneColumn c = columns.get(ls.get(k));
            if (c != null) {
                c.setRank(badges.get(k));
            }
        }
    }

    private MenuBar menus() {
        MenuItem newP = item("New", "Ctrl+N", e -> {
            if (confirmDiscard()) {
                vm.newProject();
            }
        });
        MenuItem open = item("Open…", "Ctrl+O", e -> openDialog());
        MenuItem recall = item("Recall…", "Ctrl+R", e -> recallDialog());
        MenuItem save = item("Save", "Ctrl+S", e -> save());
        MenuItem saveAs = item("Save As…", "Ctrl+Shift+S", e -> saveAs());
        MenuItem export = item("Export HTML report…", "Ctrl+E", e -> exportReport());
        // Quit goes through the window's close request, so that a dirty project is never lost without asking
        MenuItem quit = item("Quit", "Ctrl+Q", e -> stage.fireEvent(
                new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        stage.setOnCloseRequest(e -> {
            if (!confirmClose()) {
                e.consume();
            }
        });
        Menu file = new Menu("File", null, newP, open, recentMenu, recall, new SeparatorMenuItem(), save, saveAs,
                new SeparatorMenuItem(), export, new SeparatorMenuItem(), quit);
        MenuItem run = item("Run", "Ctrl+Enter", e -> vm.run());
        MenuItem stop = item("Stop", "Esc", e -> vm.stop());
        run.disableProperty().bind(vm.runningProperty());
        stop.disableProperty().bind(vm.runningProperty().not());
        MenuItem dup = item("Duplicate lane", "Ctrl+D", e -> {
            if (vm.selectedLaneProperty().get() != null && !vm.runningProperty().get()) {
                vm.duplicate(vm.selectedLaneProperty().get());
            }
        });
        Menu runMenu = new Menu("Run", null, run, stop, new SeparatorMenuItem(), dup);
        ToggleGroup tg = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("Light theme");
        RadioMenuItem dark = new RadioMenuItem("Dark theme");
        light.setToggleGroup(tg);
        dark.setToggleGroup(tg);
        (theme.equals("dark") ? dark : light).setSelected(true);
        light.setOnAction(e -> applyTheme("light"));
        dark.setOnAction(e -> applyTheme("dark"));
        MenuItem toggle = item("Toggle theme", "Ctrl+T", e -> {
            applyTheme(theme.equals("dark") ? "light" : "dark");
            (theme.equals("dark") ? dark : light).setSelected(true);
        });
        Menu view = new Menu("View", null, light, dark, toggle);
        MenuItem keys = item("Keyboard shortcuts", "F1", e -> shortcutsDialog());
        MenuItem about = item("About Flowbench", null, e -> aboutDialog());
        Menu help = new Menu("Help", null, keys, about);
        MenuBar bar = new MenuBar(file, runMenu, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String text, String accel, javafx.event.EventHandler<javafx.event.ActionEvent> h) {
        MenuItem m = new MenuItem(text);
        if (accel != null) {
            m.setAccelerator(accel.equals("Esc") ? new KeyCodeCombination(KeyCode.ESCAPE)
                    : KeyCombination.keyCombination(accel.replace("Ctrl", "Shortcut")));
        }
        m.setOnAction(h);
        return m;
    }

    private ToolBar toolbar() {
        runButton.setId("run");
        runButton.getStyleClass().add("run-button");
        runButton.setTooltip(new Tooltip("Run all lanes (Ctrl+Enter)"));
        runButton.setOnAction(e -> vm.run());
        runButton.disableProperty().bind(vm.runningProperty());
        stopButton.setId("stop");
        stopButton.setTooltip(new Tooltip("Stop within one step, keeping finished images (Esc)"));
        stopButton.setOnAction(e -> vm.stop());
        stopButton.disableProperty().bind(vm.runningProperty().not());
        TextField seed = new TextField(Long.toString(vm.seedProperty().get()));
        seed.setId("seed");
        seed.setPrefColumnCount(8);
        seed.textProperty().addListener((o, a, b) -> {
            try {
                vm.seedProperty().set(Long.parseLong(b.trim()));
            } catch (NumberFormatException ex) {
                // not a seed yet: the field is marked, the last valid seed stays
            }
        });
        Validation.check(Validation.support(), seed, v -> {
            try {
                Long.parseLong(v.trim());
                return null;
            } catch (NumberFormatException ex) {
                return "a seed is a whole number (−2⁶³ … 2⁶³ − 1), not '" + v + "'";
            }
        });
        vm.seedProperty().addListener((o, a, b) -> {
            if (!seed.getText().trim().equals(b.toString())) {
                seed.setText(b.toString());
            }
        });
        // Run is disabled while running, so focus traverses to the seed field and its text ends up selected; when
        // the run ends and the user has not typed there, focus goes back to Run
        boolean[] typed = {false};
        seed.setOnKeyTyped(e -> typed[0] = true);
        vm.runningProperty().addListener((o, a, b) -> {
            if (b) {
                typed[0] = false;
            } else {
                javafx.application.Platform.runLater(() -> {
                    if (seed.isFocused() && !typed[0]) {
                        seed.deselect();
                        runButton.requestFocus();
                    }
                });
            }
        });
        ChoiceBox<SeedPolicy> policy = new ChoiceBox<>();
        policy.setId("seed-policy");
        policy.getItems().setAll(SeedPolicy.values());
        policy.valueProperty().bindBidirectional(vm.seedPolicyProperty());
        policy.setTooltip(new Tooltip("After each run: keep the seed, add one, or draw a random one"));
        ChoiceBox<String> device = new ChoiceBox<>();
        device.setId("device");
        device.setItems(vm.devices());
        device.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String spec) {
                return vm.setup().deviceLabel(spec);
            }

            @Override
            public String fromString(String label) {
                return label;
            }
        });
        device.setOnShowing(e -> vm.setup().probeDevices()); // GPUs are looked for when the list is first opened
        device.valueProperty().bindBidirectional(vm.deviceProperty());
        device.setTooltip(new Tooltip("Compute device for the next run: auto (a usable GPU, else the CPU), the CPU, "
                + "or a GPU with its free memory (one the build cannot use says why)"));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label note = new Label();
        note.getStyleClass().add("lane-subtitle");
        note.textProperty().bind(vm.modelRefProperty());
        return new ToolBar(runButton, stopButton, new Label("  Seed"), seed, policy, new Label("  Device"), device,
                grow, note);
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (Path p : vm.recent()) {
            MenuItem m = new MenuItem(p.toString());
            m.setOnAction(e -> openFile(p));
            recentMenu.getItems().add(m);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    private boolean confirmDiscard() {
        if (!vm.dirtyProperty().get()) {
            return true;
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Discard unsaved changes?", ButtonType.OK, ButtonType.CANCEL);
        a.initOwner(stage);
        return a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    /** Before the window closes: a dirty project offers Save, Don't Save and Cancel; true = close. */
    boolean confirmClose() {
        if (!vm.dirtyProperty().get()) {
            return true;
        }
        ButtonType saveB = new ButtonType("Save", javafx.scene.control.ButtonBar.ButtonData.YES);
        ButtonType dont = new ButtonType("Don't Save", javafx.scene.control.ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Save the changes to \"" + vm.projectNameProperty().get()
                + "\" before quitting? Without saving they are lost.", saveB, dont, ButtonType.CANCEL);
        a.setHeaderText("Unsaved changes");
        a.initOwner(stage);
        ButtonType b = a.showAndWait().orElse(ButtonType.CANCEL);
        if (b == dont) {
            return true;
        }
        if (b == saveB) {
            save();
            return !vm.dirtyProperty().get();
        }
        return false;
    }

    private FileChooser chooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Flowbench project", "*" + ProjectFiles.EXTENSION));
        return fc;
    }

    private void openDialog() {
        if (!confirmDiscard()) {
            return;
        }
        File f = chooser("Open project").showOpenDialog(stage);
        if (f != null) {
            openFile(f.toPath());
        }
    }

    void openFile(Path p) {
        String err = vm.open(p);
        if (err != null) {
            showOpenError(p, err);
        }
    }

    /** A project that cannot be opened, said in a dialog over the window (the status bar alone is easy to miss). */
    void showOpenError(Path p, String err) {
        Alert a = new Alert(Alert.AlertType.ERROR, err, ButtonType.OK);
        a.setHeaderText("Cannot open " + p.getFileName());
        a.getDialogPane().setId("open-error");
        a.initOwner(stage);
        a.show();
    }

    private void save() {
        if (!vm.save()) {
            saveAs();
        }
    }

    private void saveAs() {
        File f = chooser("Save project").showSaveDialog(stage);
        if (f != null) {
            String err = vm.saveAs(f.toPath());
            if (err != null) {
                new Alert(Alert.AlertType.ERROR, err, ButtonType.OK).show();
            }
        }
    }

    private void exportReport() {
        javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
        dc.setTitle("Export HTML report to folder");
        File f = dc.showDialog(stage);
        if (f != null) {
            try {
                Path html = new ReportExporter(vm, this).export(f.toPath());
                vm.statusTextProperty().set("Report written to " + html);
            } catch (java.io.IOException | RuntimeException ex) {
                vm.statusTextProperty().set("Export failed: " + ex.getMessage());
            }
        }
    }

    void applyTheme(String t) {
        theme = t;
        Scene s = getScene();
        if (s != null) {
            s.getStylesheets().setAll(Workbench.stylesheets(t));
        }
        columns.values().forEach(c -> c.canvas().setDark(t.equals("dark")));
    }

    private void shortcutsDialog() {
        // a grid of labels sized to its content: the dialog grows to fit every row, nothing is clipped
        javafx.scene.layout.GridPane g = new javafx.scene.layout.GridPane();
        g.setHgap(16);
        g.setVgap(4);
        g.setId("shortcuts");
        for (int i = 0; i < SHORTCUTS.length; i++) {
            javafx.scene.control.Label key = new javafx.scene.control.Label(SHORTCUTS[i][0]);
            key.setStyle("-fx-font-family: monospace; -fx-font-weight: bold;");
            g.add(key, 0, i);
            g.add(new javafx.scene.control.Label(SHORTCUTS[i][1]), 1, i);
        }
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.getDialogPane().setContent(g);
        a.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        a.getDialogPane().setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        a.setResizable(true);
        a.initOwner(stage);
        a.show();
    }

    private void aboutDialog() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle("About Flowbench");
        a.setHeaderText("Flowbench " + Versions.app());
        a.setContentText("Run diffusion and flow samplers side by side and measure quality and cost.\n\n"
                + "DJL " + Versions.djl() + ", PyTorch " + Versions.pytorch() + "\nJavaFX "
                + System.getProperty("javafx.runtime.version") + "\nJava " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vendor") + ")");
        a.initOwner(stage);
        a.show();
    }

    public PanelsView panels() {
        return panels;
    }

    public InspectorView inspector() {
        return inspector;
    }

    public Map<LaneViewModel, LaneColumn> columns() {
        return columns;
    }

    public HBox laneStrip() {
        return laneStrip;
    }
}
