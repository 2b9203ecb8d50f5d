package org.flowbench.app.ui;

import java.util.IdentityHashMap;
import java.util.Map;
import javafx.scene.chart.Axis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.text.Text;

/** A scatter chart whose every point carries its series' name next to it (one point per lane: quality vs cost). */
final class LabelledScatterChart extends ScatterChart<Number, Number> {
    private final Map<Data<Number, Number>, Text> labels = new IdentityHashMap<>();

    LabelledScatterChart(Axis<Number> x, Axis<Number> y) {
        super(x, y);
    }

    @Override
    protected void layoutPlotChildren() {
        super.layoutPlotChildren();
        unclip();
        Map<Data<Number, Number>, Text> seen = new IdentityHashMap<>();
        for (Series<Number, Number> s : getData()) {
            for (Data<Number, Number> d : s.getData()) {
                Text t = labels.get(d);
                if (t == null) {
                    t = new Text();
                    t.getStyleClass().add("chart-point-label");
                    getPlotChildren().add(t);
                }
                t.setText(s.getName());
                t.setX(getXAxis().getDisplayPosition(d.getXValue()) + 10);
                t.setY(getYAxis().getDisplayPosition(d.getYValue()) + 4);
                seen.put(d, t);
            }
        }
        for (Map.Entry<Data<Number, Number>, Text> e : labels.entrySet()) {
            if (!seen.containsKey(e.getKey())) {
                getPlotChildren().remove(e.getValue());
            }
        }
        labels.clear();
        labels.putAll(seen);
    }

    /**
     * Draws markers and labels whole where they sit on an axis (a lane at FID ≈ 0 or at the cost maximum): the plot's
     * clip would cut them in half. Points are never outside the axes' range, which covers the data.
     */
    private void unclip() {
        if (unclipped || getPlotChildren().isEmpty()) {
            return;
        }
        for (javafx.scene.Node n = getPlotChildren().get(0).getParent(); n != null && n != this; n = n.getParent()) {
            if (n.getClip() != null) {
                n.setClip(null);
                unclipped = true;
                return;
            }
        }
    }

    private boolean unclipped;

    /** The labels drawn now, by series name (for tests). */
    java.util.List<String> pointLabels() {
        return labels.values().stream().map(Text::getText).sorted().toList();
    }
}
