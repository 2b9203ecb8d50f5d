package org.flowbench.app.ui;

import java.util.Collection;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.util.StringConverter;

/**
 * Number axes that Flowbench ranges itself. JavaFX's auto-ranging measures the tick labels of up to twenty candidate
 * tick units on every data change, with a new number format per label: during a run it was the FX thread's largest
 * single cost (40–50 ms pulses on the development machine). Here the range is a 1–2–2.5–5 step around the data, set
 * only when it changes, so that a new point inside the range costs no tick layout at all.
 */
final class ChartAxes {
    private static final double[] STEPS = {1, 2, 2.5, 5, 10};
    /** About this many ticks between the bounds. */
    private static final int TICKS = 5;

    private ChartAxes() {
    }

    static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis();
        a.setAutoRanging(false);
        a.setLabel(label);
        // until data arrive: 0 to 1 in five ticks (JavaFX's own 0 to 100 in steps of 5 crowds an empty chart)
        a.setLowerBound(0);
        a.setUpperBound(1);
        a.setTickUnit(0.2);
        a.setTickLabelFormatter(new Decimals(1));
        return a;
    }

    /** Fits the axis to the values (and to zero when asked); an empty or non-finite set leaves it as it is. */
    static void fit(NumberAxis a, double min, double max, boolean withZero) {
        fit(a, min, max, withZero, 0);
    }

    /**
     * As {@link #fit(NumberAxis, double, double, boolean)}, with room of {@code pad} × the data's span beyond the
     * extreme values (a scatter chart's markers and labels are not cut at the plot's edge); a zero bound stays zero.
     */
    static void fit(NumberAxis a, double min, double max, boolean withZero, double pad) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            return;
        }
        double span = max - min;
        max += pad * span;
        min -= withZero && min >= 0 ? 0 : pad * span;
        if (withZero) {
            min = Math.min(min, 0);
            max = Math.max(max, 0);
        }
        if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
            double room = max == 0 ? 1 : Math.abs(max) * 0.1;
            min -= withZero && min == 0 ? 0 : room;
            max += room;
        }
        double unit = niceStep((max - min) / TICKS);
        double lower = Math.floor(min / unit) * unit;
        double upper = Math.ceil(max / unit) * unit;
        if (a.getLowerBound() != lower || a.getUpperBound() != upper || a.getTickUnit() != unit) {
            a.setLowerBound(lower);
            a.setUpperBound(upper);
            a.setTickUnit(unit);
            int decimals = decimals(unit);
            if (!(a.getTickLabelFormatter() instanceof Decimals d) || d.decimals != decimals) {
                a.setTickLabelFormatter(new Decimals(decimals));
            }
        }
    }

    /** Fits the x and y axes of a chart to the points of its series. */
    static void fitXY(Collection<XYChart.Series<Number, Number>> series, NumberAxis x, NumberAxis y, boolean xZero,
                      boolean yZero, double pad) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (XYChart.Series<Number, Number> s : series) {
            for (XYChart.Data<Number, Number> d : s.getData()) {
                double vx = d.getXValue().doubleValue();
                double vy = d.getYValue().doubleValue();
                b[0] = Math.min(b[0], vx);
                b[1] = Math.max(b[1], vx);
                b[2] = Math.min(b[2], vy);
                b[3] = Math.max(b[3], vy);
            }
        }
        fit(x, b[0], b[1], xZero, pad);
        fit(y, b[2], b[3], yZero, pad);
    }

    /** The smallest 1, 2, 2.5 or 5 × 10^k not below {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double s : STEPS) {
            if (s * p >= raw * (1 - 1e-9)) {
                return s * p;
            }
        }
        return 10 * p;
    }

    /** Decimals that show every multiple of the unit exactly (2.5 × 10^k needs one more than 10^k). */
    static int decimals(double unit) {
        int d = 0;
        while (d < 12 && Math.abs(unit * Math.pow(10, d) - Math.rint(unit * Math.pow(10, d))) > 1e-6) {
            d++;
        }
        return d;
    }

    /** A fixed-decimals label format, created once per axis range (not once per label, as JavaFX's default). */
    private static final class Decimals extends StringConverter<Number> {
        final int decimals;
        private final java.text.DecimalFormat format;

        Decimals(int decimals) {
            this.decimals = decimals;
            this.format = new java.text.DecimalFormat(decimals == 0 ? "0" : "0." + "0".repeat(decimals),
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        }

        @Override
        public String toString(Number n) {
            return format.format(n.doubleValue());
        }

        @Override
        public Number fromString(String s) {
            return Double.parseDouble(s);
        }
    }
}
