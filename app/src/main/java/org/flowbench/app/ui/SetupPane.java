package org.flowbench.app.ui;

import java.io.File;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.flowbench.engine.model.ModelResolver;
import org.flowbench.samplers.ParamSpec;
import org.flowbench.samplers.SamplerRegistry;

/** The left pane: model, prompt, N, batch, reference statistics, the lane list and the selected lane's property sheet. */
public final class SetupPane extends VBox {
    private final MainViewModel vm;
    private final ListView<LaneViewModel> laneList = new ListView<>();
    private final GridPane sheet = new GridPane();
    private boolean syncing;

    public SetupPane(MainViewModel vm) {
        this.vm = vm;
        getStyleClass().add("setup-pane");
        setId("setup");
        setPrefWidth(330);

        ComboBox<String> model = new ComboBox<>();
        model.setId("model-picker");
        model.setEditable(true);
        model.setMaxWidth(Double.MAX_VALUE);
        for (ModelResolver.ModelInfo m : vm.builtinModels()) {
            model.getItems().add(m.ref());
        }
        model.setValue(vm.modelRefProperty().get());
        model.setTooltip(new Tooltip("Built-in packages and analytic 2-D presets; or type a model folder / spec .json"));
        model.valueProperty().addListener((o, a, b) -> {
            if (!syncing && b != null && !b.isBlank()) {
                vm.modelRefProperty().set(b.trim());
            }
        });
        vm.modelRefProperty().addListener((o, a, b) -> {
            syncing = true;
            model.setValue(b);
            syncing = false;
        });
        Button openPkg = new Button("Open model package…");
        openPkg.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Open model package folder");
            File f = dc.showDialog(getScene().getWindow());
            if (f != null) {
                vm.modelRefProperty().set(f.getAbsolutePath());
            }
        });
        Button fashionDemo = new Button("Fashion-MNIST demo");
        fashionDemo.setId("demo-fashion");
        fashionDemo.setTooltip(new Tooltip("builtin:fashion-flow: Euler 4/8/32 vs Heun 8, N 64, domain FID"));
        fashionDemo.setOnAction(e -> vm.load(org.flowbench.app.project.Project.fashionComparison()));
        Button analyticDemo = new Button("Analytic 2-D demo");
        analyticDemo.setId("demo-analytic");
        analyticDemo.setTooltip(new Tooltip("builtin:3modes: the same lanes on an exact 2-D mixture, N 2000, "
                + "exact FID and mode TV"));
        analyticDemo.setOnAction(e -> vm.load(org.flowbench.app.project.Project.analyticComparison()));
        fashionDemo.disableProperty().bind(vm.runningProperty());
        analyticDemo.disableProperty().bind(vm.runningProperty());
        HBox demos = new HBox(4, fashionDemo, analyticDemo);
        Label modelInfo = new Label();
        modelInfo.getStyleClass().add("lane-subtitle");
        modelInfo.setWrapText(true);

        ComboBox<String> prompt = new ComboBox<>();
        prompt.setId("prompt");
        prompt.setEditable(true);
        prompt.setMaxWidth(Double.MAX_VALUE);
        prompt.setPromptText("empty = unconditional");
        prompt.getEditor().textProperty().bindBidirectional(vm.promptProperty());
        vm.modelProperty().addListener((o, a, b) -> {
            prompt.getItems().setAll(vm.prompts());
            modelInfo.setText(b == null ? "loading " + vm.modelRefProperty().get() + "…" : b.error() != null ? b.error()
                    : "shape " + java.util.Arrays.toString(b.shape()) + (b.mixture() != null
                    ? " · analytic: FID vs exact mixture moments, mode TV vs exact weights"
                    : b.classNames().isEmpty() ? " · unconditional" : " · " + b.classNames().size() + " classes"));
        });

        Spinner<Integer> n = new Spinner<>(1, 1_000_000, vm.nProperty().get(), 100);
        n.setId("n-samples");
        n.setEditable(true);
        n.getValueFactory().valueProperty().addListener((o, a, b) -> vm.nProperty().set(b));
        vm.nProperty().addListener((o, a, b) -> n.getValueFactory().setValue(b.intValue()));
        Spinner<Integer> batch = new Spinner<>(1, 100_000, vm.batchProperty().get(), 50);
        batch.setId("batch");
        batch.setEditable(true);
        batch.getValueFactory().valueProperty().addListener((o, a, b) -> vm.batchProperty().set(b));
        vm.batchProperty().addListener((o, a, b) -> batch.getValueFactory().setValue(b.intValue()));
        Label ref = new Label();
        ref.setId("reference-stats");
        ref.textProperty().bind(vm.referenceLabelProperty());
        ref.setMaxWidth(Double.MAX_VALUE);
        ref.setWrapText(true);
        Tooltip refTip = new Tooltip();
        refTip.textProperty().bind(vm.referenceStatsProperty());
        ref.setTooltip(refTip);
        Button chooseRef = new Button("Choose…");
        chooseRef.setId("choose-reference");
        chooseRef.setTooltip(new Tooltip("Reference statistics for domain FID: a .stats file made with 'flowbench "
                + "stats', or an .npz from pytorch-fid or clean-fid with the feature extractor it was made with"));
        chooseRef.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Reference statistics for FID");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Statistics (.stats, .npz)", "*.stats",
                    "*.npz"), new FileChooser.ExtensionFilter("Flowbench statistics", "*.stats"),
                    new FileChooser.ExtensionFilter("NumPy statistics (pytorch-fid, clean-fid)", "*.npz"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f == null) {
                return;
            }
            if (!f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".npz")) {
                vm.useReference(f.toPath());
                return;
            }
            // an .npz does not say how its features were made: ask
            javafx.scene.control.ChoiceDialog<String> ask = new javafx.scene.control.ChoiceDialog<>(
                    "builtin:fashion-classifier", "builtin:fashion-classifier", "identity", "TorchScript file…");
            ask.setTitle("Feature extractor");
            ask.setHeaderText(f.getName() + " holds mean and covariance only. Which feature extractor were they "
                    + "made with?");
            ask.initOwner(getScene().getWindow());
            ask.showAndWait().ifPresent(choice -> {
                String spec = choice;
                if (choice.startsWith("TorchScript")) {
                    FileChooser ts = new FileChooser();
                    ts.setTitle("TorchScript feature network");
                    ts.getExtensionFilters().add(new FileChooser.ExtensionFilter("TorchScript", "*.pt"));
                    File pt = ts.showOpenDialog(getScene().getWindow());
                    if (pt == null) {
                        return;
                    }
                    spec = "torchscript:" + pt.getAbsolutePath();
                }
                vm.useReference(f.toPath(), spec);
            });
        });
        Button defaultRef = new Button("Default");
        defaultRef.setId("default-reference");
        defaultRef.setTooltip(new Tooltip("The statistics the model package declares (builtin:fashion-flow: "
                + "Fashion-MNIST test split in the built-in classifier's features, 8-bit quantised)"));
        defaultRef.setOnAction(e -> vm.useDefaultReference());
        defaultRef.disableProperty().bind(vm.modelProperty().isNull().or(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> vm.modelProperty().get() == null || !vm.modelProperty().get().isImage(), vm.modelProperty())));
        chooseRef.disableProperty().bind(defaultRef.disableProperty());
        HBox refButtons = new HBox(4, chooseRef, defaultRef);

        GridPane setup = new GridPane();
        setup.setHgap(6);
        setup.setVgap(6);
        setup.addRow(0, new Label("N samples"), n);
        setup.addRow(1, new Label("Batch"), batch);
        setup.addRow(2, new Label("Reference"), ref);
        setup.add(refButtons, 1, 3);
        GridPane.setHgrow(ref, Priority.ALWAYS);

        laneList.setId("lane-list");
        laneList.setItems(vm.lanes());
        laneList.setPrefHeight(150);
        laneList.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(LaneViewModel l, boolean empty) {
                super.updateItem(l, empty);
                textProperty().unbind();
                if (empty || l == null) {
                    setText(null);
                } else {
                    textProperty().bind(l.nameProperty().concat("  ·  ").concat(l.samplerProperty()));
                }
            }
        });
        laneList.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.selectedLaneProperty().set(b);
            }
        });
        vm.selectedLaneProperty().addListener((o, a, b) -> {
            if (b != laneList.getSelectionModel().getSelectedItem()) {
                laneList.getSelectionModel().select(b);
            }
            buildSheet(b);
        });
        vm.lanes().addListener((ListChangeListener<LaneViewModel>) c -> {
            if (vm.selectedLaneProperty().get() != null) {
                laneList.getSelectionModel().select(vm.selectedLaneProperty().get());
            }
        });
        MenuButton add = new MenuButton("Add");
        add.setId("add-lane");
        for (SamplerRegistry.Entry e : SamplerRegistry.all()) {
            MenuItem mi = new MenuItem(e.id() + " — " + e.description());
            mi.setId("add-" + e.id());
            mi.setOnAction(ev -> vm.addLane(e.id()));
            add.getItems().add(mi);
        }
        // samplers that cannot run on the model are shown greyed, with the reason
        vm.modelProperty().addListener((o, a, m) -> {
            for (MenuItem mi : add.getItems()) {
                String id = mi.getId().substring("add-".length());
                boolean off = m != null && !m.offers(id);
                mi.setDisable(off);
                mi.setText(id + " — " + (off ? "not for this model: " + m.unavailableSamplers().get(id)
                        : SamplerRegistry.get(id).description()));
            }
        });
        Button dup = new Button("Duplicate");
        dup.setId("duplicate-lane");
        dup.setOnAction(e -> selected(l -> vm.duplicate(l)));
        Button rm = new Button("Remove");
        rm.setId("remove-lane");
        rm.setOnAction(e -> selected(vm::remove));
        Button up = new Button("▲");
        up.setTooltip(new Tooltip("Move lane left"));
        up.setOnAction(e -> selected(l -> vm.move(l, -1)));
        Button down = new Button("▼");
        down.setTooltip(new Tooltip("Move lane right"));
        down.setOnAction(e -> selected(l -> vm.move(l, 1)));
        for (var b : new javafx.scene.control.Control[] {add, dup, rm, up, down}) {
            b.disableProperty().bind(vm.runningProperty());
        }
        HBox laneButtons = new HBox(4, add, dup, rm, up, down);

        sheet.setHgap(6);
        sheet.setVgap(3);
        sheet.setId("property-sheet");

        getChildren().addAll(title("MODEL"), model, new HBox(4, openPkg), demos, modelInfo, title("PROMPT"), prompt, title("RUN"), setup,
                title("LANES"), laneList, laneButtons, title("LANE PARAMETERS"), sheet);
        setPadding(new Insets(10));
        buildSheet(vm.selectedLaneProperty().get());
        if (vm.selectedLaneProperty().get() != null) {
            laneList.getSelectionModel().select(vm.selectedLaneProperty().get());
        }
    }

    private void selected(java.util.function.Consumer<LaneViewModel> f) {
        LaneViewModel l = vm.selectedLaneProperty().get();
        if (l != null) {
            f.accept(l);
        }
    }

    private static Label title(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("section-title");
        return l;
    }

    private org.controlsfx.validation.ValidationSupport validation = Validation.support();

    /** The property sheet, generated from the sampler's parameter metadata. */
    private void buildSheet(LaneViewModel lane) {
        // the old fields' decorations live in the scene's decoration layer: take them down with the fields
        validation.getRegisteredControls().forEach(org.controlsfx.control.decoration.Decorator::removeAllDecorations);
        validation = Validation.support();
        sheet.getChildren().clear();
        if (lane == null) {
            return;
        }
        int r = 0;
        TextField name = new TextField();
        name.setId("lane-name");
        name.textProperty().bindBidirectional(lane.nameProperty());
        sheet.add(new Label("name"), 0, r);
        sheet.add(name, 1, r++);
        ChoiceBox<String> sampler = new ChoiceBox<>();
        sampler.setId("lane-sampler");
        ModelView shown = vm.modelProperty().get();
        // only samplers that can run on the model (and the lane's own, whatever it is)
        sampler.getItems().setAll(SamplerRegistry.ids().stream()
                .filter(id -> shown == null || shown.offers(id) || id.equals(lane.samplerProperty().get())).toList());
        if (shown != null && !shown.unavailableSamplers().isEmpty()) {
            sampler.setTooltip(new Tooltip("Not for this model: " + String.join("; ",
                    shown.unavailableSamplers().values())));
        }
        sampler.setValue(lane.samplerProperty().get());
        sampler.valueProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(lane.samplerProperty().get())) {
                lane.setSampler(b, java.util.Map.of());
                buildSheet(lane);
            }
        });
        sheet.add(new Label("sampler"), 0, r);
        sheet.add(sampler, 1, r++);
        TextField laneModel = new TextField();
        laneModel.setId("lane-model");
        laneModel.setPromptText("the project's model");
        laneModel.textProperty().bindBidirectional(lane.modelProperty());
        Label modelLabel = new Label("model");
        modelLabel.setTooltip(new Tooltip("A model of this lane's own (builtin:NAME, a package folder), e.g. a student "
                + "next to its teacher; empty: the project's model"));
        sheet.add(modelLabel, 0, r);
        sheet.add(laneModel, 1, r++);
        for (ParamViewModel p : lane.params()) {
            ParamSpec s = p.spec();
            Label label = new Label(s.name());
            Tooltip tip = new Tooltip(p.help());
            tip.setWrapText(true);
            tip.setMaxWidth(360);
            label.setTooltip(tip);
            javafx.scene.control.Control editor;
            if (s.typeName().equals("boolean")) {
                CheckBox cb = new CheckBox();
                cb.setSelected(Boolean.parseBoolean(p.text()));
                cb.selectedProperty().addListener((o, a, b) -> p.textProperty().set(Boolean.toString(b)));
                editor = cb;
            } else if (!s.choices().isEmpty()) {
                ChoiceBox<String> cb = new ChoiceBox<>();
                cb.getItems().setAll(s.choices());
                cb.setValue(p.text());
                cb.valueProperty().addListener((o, a, b) -> p.textProperty().set(b));
                editor = cb;
            } else {
                TextField tf = new TextField();
                tf.textProperty().bindBidirectional(p.textProperty());
                tf.setPromptText(s.rangeText());
                Validation.check(validation, tf, v -> ParamViewModel.errorOf(s, v));
                editor = tf;
            }
            editor.setId("param-" + s.name());
            editor.setTooltip(tip);
            editor.disableProperty().bind(vm.runningProperty());
            GridPane.setHgrow(editor, Priority.ALWAYS);
            sheet.add(label, 0, r);
            sheet.add(editor, 1, r++);
            Label err = new Label();
            err.getStyleClass().add("param-error");
            err.setWrapText(true);
            err.setMaxWidth(240);
            err.textProperty().bind(p.errorProperty());
            err.managedProperty().bind(p.errorProperty().isNotNull());
            err.visibleProperty().bind(p.errorProperty().isNotNull());
            err.setId("error-" + s.name());
            sheet.add(err, 1, r++);
        }
    }
}
