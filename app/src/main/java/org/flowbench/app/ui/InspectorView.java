package org.flowbench.app.ui;

import java.util.Locale;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The inspector: the full recipe of a clicked sample, copy it, re-run that seed (and check it reproduces), and
 * compare it with the same image in another lane (A/B toggle).
 */
public final class InspectorView extends HBox {
    private final MainViewModel vm;
    private final Label title = new Label("Click a sample to inspect it");
    private final TextArea recipe = new TextArea();
    private final Label rerunResult = new Label();
    private final ChoiceBox<LaneViewModel> other = new ChoiceBox<>();
    private final ToggleButton ab = new ToggleButton("Show B");
    private final ImageView image = new ImageView();
    private final Label value = new Label();
    private LaneViewModel lane;
    private long index = -1;

    public InspectorView(MainViewModel vm) {
        this.vm = vm;
        getStyleClass().add("inspector");
        setId("inspector");
        title.getStyleClass().add("section-title");
        recipe.setEditable(false);
        recipe.setWrapText(true);
        recipe.setPrefRowCount(9);
        recipe.getStyleClass().add("recipe");
        recipe.setId("recipe");
        Button copy = new Button("Copy recipe");
        copy.setId("copy-recipe");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(recipe.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button rerun = new Button("Re-run seed");
        rerun.setId("rerun");
        rerun.setOnAction(e -> rerun());
        copy.disableProperty().bind(recipe.textProperty().isEmpty());
        rerun.disableProperty().bind(recipe.textProperty().isEmpty());
        rerunResult.setWrapText(true);
        rerunResult.setId("rerun-result");
        other.setConverter(new StringConverter<>() {
            @Override
            public String toString(LaneViewModel l) {
                return l == null ? "" : l.name();
            }

            @Override
            public LaneViewModel fromString(String s) {
                return null;
            }
        });
        other.valueProperty().addListener((o, a, b) -> show());
        ab.selectedProperty().addListener((o, a, b) -> {
            ab.setText(b ? "Show A" : "Show B");
            show();
        });
        ab.setId("ab-toggle");
        image.setFitWidth(140);
        image.setFitHeight(140);
        image.setSmooth(false);
        value.getStyleClass().add("metric-value");
        value.setWrapText(true);
        recipe.setPrefWidth(420);
        VBox left = new VBox(6, title, recipe, new HBox(6, copy, rerun), rerunResult);
        VBox right = new VBox(6, new Label("A/B: the same seed and image in another lane"), new HBox(6, other, ab),
                image, value);
        setSpacing(16);
        getChildren().addAll(left, right);
    }

    /** Shows image {@code i} of {@code l}. */
    public void select(LaneViewModel l, long i) {
        lane = l;
        index = i;
        title.setText(l.name() + " · image " + i);
        recipe.setText(vm.recipe(l, i));
        rerunResult.setText("");
        other.getItems().setAll(vm.lanes().filtered(x -> x != l));
        if (other.getValue() == null || other.getValue() == l) {
            other.setValue(other.getItems().isEmpty() ? null : other.getItems().get(0));
        }
        ab.setSelected(false);
        show();
    }

    private void show() {
        if (lane == null) {
            return;
        }
        LaneViewModel shown = ab.isSelected() && other.getValue() != null ? other.getValue() : lane;
        MainViewModel.ModelView m = vm.modelProperty().get();
        double[] s = shown.samplesProperty().get();
        if (m == null || m.shape() == null) {
            return;
        }
        int d = 1;
        for (int v : m.shape()) {
            d *= v;
        }
        String who = (shown == lane ? "A: " : "B: ") + shown.name();
        if (s == null || (index + 1) * d > s.length) {
            image.setImage(null);
            value.setText(who + " has no image " + index + " yet");
            return;
        }
        if (m.isImage()) {
            image.setImage(SampleCanvas.toImage(s, (int) index, m.shape()));
            value.setText(who);
        } else {
            image.setImage(null);
            StringBuilder sb = new StringBuilder(who).append("\nx = (");
            for (int k = 0; k < d; k++) {
                sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", s[(int) index * d + k]));
            }
            value.setText(sb.append(')').toString());
        }
    }

    private void rerun() {
        LaneViewModel l = lane;
        long i = index;
        rerunResult.setText("re-running image " + i + "…");
        vm.rerun(l, i, b -> {
            double[] s = l.samplesProperty().get();
            int d = b.dim();
            double maxDiff = 0;
            boolean have = s != null && (i + 1) * d <= s.length;
            for (int k = 0; have && k < d; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(s[(int) i * d + k] - b.samples()[k]));
            }
            rerunResult.setText(have ? String.format(Locale.ROOT, "re-run: NFE %d, %.2f ms; max |Δ| vs the run = %.2g%s",
                    b.nfe()[0], b.latencyMs()[0], maxDiff, maxDiff == 0 ? " (identical)" : "")
                    : String.format(Locale.ROOT, "re-run: NFE %d, %.2f ms", b.nfe()[0], b.latencyMs()[0]));
        }, msg -> rerunResult.setText("re-run failed: " + msg));
    }
}
