package org.flowbench.app.ui;

import java.util.Locale;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.util.StringConverter;

/**
 * The inspector: the full recipe of a clicked sample, copy it, re-run that seed (and check it reproduces), and
 * compare it with the same image in another lane: an A/B wipe slider for image models (A left of the divider, B
 * right of it) and a toggle that shows B whole.
 */
public final class InspectorView extends HBox {
    private final MainViewModel vm;
    private final Label title = new Label("Click a sample to inspect it");
    private final TextArea recipe = new TextArea();
    private final Label rerunResult = new Label();
    private final ChoiceBox<LaneViewModel> other = new ChoiceBox<>();
    private final ToggleButton ab = new ToggleButton("Show B");
    private final ImageView image = new ImageView();
    private final Slider wipe = new Slider(0, 1, 0.5);
    private final Line divider = new Line();
    private final Label value = new Label();
    private LaneViewModel lane;
    private long index = -1;
    private static final double SIZE = 168;

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
        image.setFitWidth(SIZE);
        image.setFitHeight(SIZE);
        image.setSmooth(false);
        wipe.setId("ab-slider");
        wipe.setPrefWidth(SIZE);
        wipe.setMaxWidth(SIZE);
        wipe.setTooltip(new javafx.scene.control.Tooltip("A/B wipe: A left of the divider, B right of it"));
        wipe.valueProperty().addListener((o, a, b) -> show());
        divider.setStartY(0);
        divider.setEndY(SIZE);
        divider.getStyleClass().add("ab-divider");
        divider.setStroke(javafx.scene.paint.Color.web("#e08a1e"));
        divider.setStrokeWidth(1.5);
        divider.setManaged(false);
        value.getStyleClass().add("metric-value");
        value.setWrapText(true);
        recipe.setPrefWidth(420);
        VBox left = new VBox(6, title, recipe, new HBox(6, copy, rerun), rerunResult);
        Pane stack = new Pane(image, divider);
        stack.setPrefSize(SIZE, SIZE);
        stack.setMaxSize(SIZE, SIZE);
        VBox right = new VBox(6, new Label("A/B: the same seed and image in another lane"), new HBox(6, other, ab),
                stack, wipe, value);
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
        ModelView m = vm.modelProperty().get();
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
        wipe.setVisible(m.isImage());
        wipe.setManaged(m.isImage());
        divider.setVisible(false);
        if (m.isImage()) {
            LaneViewModel b = other.getValue();
            double[] sb = b == null ? null : b.samplesProperty().get();
            boolean wiping = !ab.isSelected() && sb != null && (index + 1) * d <= sb.length && shown == lane;
            if (wiping) {
                image.setImage(wiped(s, sb, (int) index, m.shape(), wipe.getValue()));
                divider.setStartX(wipe.getValue() * SIZE);
                divider.setEndX(wipe.getValue() * SIZE);
                divider.setVisible(true);
                double diff = 0;
                for (int k = 0; k < d; k++) {
                    diff = Math.max(diff, Math.abs(s[(int) index * d + k] - sb[(int) index * d + k]));
                }
                value.setText(String.format(Locale.ROOT, "A: %s (left) · B: %s (right)%nmax |A − B| = %.3f",
                        lane.name(), b.name(), diff));
            } else {
                image.setImage(SampleCanvas.toImage(s, (int) index, m.shape()));
                value.setText(who);
            }
        } else {
            image.setImage(null);
            StringBuilder sb = new StringBuilder(who).append("\nx = (");
            for (int k = 0; k < d; k++) {
                sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", s[(int) index * d + k]));
            }
            value.setText(sb.append(')').toString());
        }
    }

    /** Image {@code index} of a left of column {@code split·w} and of b from there on (the A/B wipe). */
    static javafx.scene.image.WritableImage wiped(double[] a, double[] b, int index, int[] shape, double split) {
        javafx.scene.image.WritableImage ia = SampleCanvas.toImage(a, index, shape);
        javafx.scene.image.WritableImage ib = SampleCanvas.toImage(b, index, shape);
        int w = (int) ia.getWidth();
        int h = (int) ia.getHeight();
        int cut = (int) Math.round(split * w);
        javafx.scene.image.PixelWriter pw = ia.getPixelWriter();
        javafx.scene.image.PixelReader rb = ib.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = cut; x < w; x++) {
                pw.setArgb(x, y, rb.getArgb(x, y));
            }
        }
        return ia;
    }

    /** The A/B wipe slider (0 = all B, 1 = all A). */
    public Slider wipeSlider() {
        return wipe;
    }

    public ImageView imageView() {
        return image;
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
