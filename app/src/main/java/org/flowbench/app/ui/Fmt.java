package org.flowbench.app.ui;

import java.util.Locale;

/** Number formatting for headers and tables: absent values are an em dash, never 0. */
final class Fmt {
    private Fmt() {}

    static String num(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "—";
    }

    static String eta(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "ETA %.0f s", Math.ceil(seconds));
        }
        return String.format(Locale.ROOT, "ETA %d:%02d", (long) seconds / 60, (long) seconds % 60);
    }

    /** "0.123 ± 0.010" from a value and its interval, or the value alone. */
    static String withInterval(double v, double lo, double hi, int digits) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        if (Double.isFinite(lo) && Double.isFinite(hi)) {
            return num(v, digits) + " ± " + num((hi - lo) / 2, digits);
        }
        return num(v, digits);
    }
}
