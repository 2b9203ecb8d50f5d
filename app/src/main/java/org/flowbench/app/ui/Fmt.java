package org.flowbench.app.ui;

import java.util.Locale;

/** Number formatting for headers and tables: absent values are an em dash, never 0. */
final class Fmt {
    private Fmt() {}

    static String num(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "—";
    }

    /** {@code v} with about {@code sig} significant digits (at most 6 decimals): 1624, 185.9, 4.123, 0.01234. */
    static String sig(double v, int sig) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals(v, sig) + "f", v) : "—";
    }

    static int decimals(double v, int sig) {
        if (v == 0 || !Double.isFinite(v)) {
            return Math.max(0, sig - 1);
        }
        int mag = (int) Math.floor(Math.log10(Math.abs(v)));
        return Math.max(0, Math.min(6, sig - 1 - mag));
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

    /**
     * "0.123 [0.110, 0.139]" from a value and its interval, or the value alone; {@code sig} significant digits of the
     * value, the ends with the same decimals. Never "± half-width": these intervals are often asymmetric.
     */
    static String withInterval(double v, double lo, double hi, int sig) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        int d = decimals(v, sig);
        if (Double.isFinite(lo) && Double.isFinite(hi)) {
            return num(v, d) + " [" + num(lo, d) + ", " + num(hi, d) + "]";
        }
        return num(v, d);
    }

    /**
     * A value and its interval in little room: every number with the decimals that give the largest of them
     * {@code sig} significant digits ("-3.7 [-34.1, 27.5]", "219 [190, 260]"); the value alone without an interval.
     */
    static String compactInterval(double v, double lo, double hi, int sig) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return sig(v, sig);
        }
        double largest = Math.max(Math.abs(v), Math.max(Math.abs(lo), Math.abs(hi)));
        int d = decimals(largest, sig);
        return num(v, d) + " [" + num(lo, d) + ", " + num(hi, d) + "]";
    }
}
