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

    /** The labels drawn now, by series name (for tests). */
    java.util.List<String> pointLabels() {
        return labels.values().stream().map(Text::getText).sorted().toList();
    }
}
