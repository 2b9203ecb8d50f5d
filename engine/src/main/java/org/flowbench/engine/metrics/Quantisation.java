package org.flowbench.engine.metrics;

import org.flowbench.engine.FlowbenchException;

/**
 * The sample quantisation named in a {@link ReferenceStats.Identity}: the one place where generated float samples
 * are made to match reference statistics computed from 8-bit images.
 *
 * <ul>
 *   <li>{@value #UINT8}: pixels in [−1, 1] are mapped to the 8-bit level {@code u = clamp(round((x + 1)·127.5), 0,
 *       255)} (rounding, as when saving a PNG) and back to {@code u/127.5 − 1}, exactly the values an 8-bit image
 *       file decodes to;</li>
 *   <li>{@value #FLOAT}: samples are used as they are.</li>
 * </ul>
 */
public final class Quantisation {
    public static final String UINT8 = "uint8";
    public static final String FLOAT = "float";

    private Quantisation() {}

    /** Whether samples must be quantised to match statistics of this quantisation label. */
    public static boolean quantises(String label) {
        if (label == null || label.equals(FLOAT) || label.equals("-") || label.isBlank()) {
            return false;
        }
        if (label.equals(UINT8)) {
            return true;
        }
        throw new FlowbenchException("unknown quantisation '" + label + "' in reference statistics",
                "known: " + UINT8 + ", " + FLOAT);
    }

    /** The 8-bit level 0..255 of a pixel in [−1, 1] (NaN stays NaN, so a broken sample is not hidden). */
    public static double level(double x) {
        return Math.max(0, Math.min(255, Math.rint((x + 1) * 127.5)));
    }

    /** One value quantised to its 8-bit level and mapped back to [−1, 1]. */
    public static double uint8(double x) {
        return level(x) / 127.5 - 1;
    }

    /** Quantises {@code xs} in place as the label declares (no-op for float); returns xs. */
    public static double[] apply(String label, double[] xs) {
        if (quantises(label)) {
            for (int i = 0; i < xs.length; i++) {
                xs[i] = uint8(xs[i]);
            }
        }
        return xs;
    }

    /** A quantised copy of the first {@code len} values (the input is left as it is). */
    public static double[] applied(String label, double[] xs, int len) {
        double[] out = java.util.Arrays.copyOf(xs, len);
        return apply(label, out);
    }
}
