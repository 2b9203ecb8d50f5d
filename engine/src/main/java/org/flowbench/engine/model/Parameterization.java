package org.flowbench.engine.model;

/**
 * What a network predicts, and the exact conversions between predictions on a path x = α·x1 + σ·x0.
 * Everything goes through the pair (x̂1, ε̂) = (E[x1 | x], E[x0 | x]): x = α·x̂1 + σ·ε̂, velocity = α'·x̂1 + σ'·ε̂,
 * score = −ε̂/σ.
 */
public enum Parameterization {
    VELOCITY, EPSILON, DATA, SCORE;

    public static Parameterization parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "velocity", "v" -> VELOCITY;
            case "epsilon", "eps", "noise" -> EPSILON;
            case "data", "x0", "x1", "denoiser", "sample" -> DATA;
            case "score" -> SCORE;
            default -> throw new org.flowbench.engine.FlowbenchException("unknown parameterization '" + s + "'",
                    "use velocity, epsilon, data or score");
        };
    }

    /**
     * Converts {@code pred} (of kind {@code from}, for states {@code x}) into kind {@code to}, writing {@code out}
     * (may alias {@code pred}). All arrays have length {@code len}.
     */
    public static void convert(NoisePath path, double t, Parameterization from, Parameterization to,
                               double[] x, double[] pred, double[] out, int len) {
        if (from == to) {
            if (out != pred) {
                System.arraycopy(pred, 0, out, 0, len);
            }
            return;
        }
        double a = path.alpha(t);
        double s = path.sigma(t);
        double da = path.dAlpha(t);
        double ds = path.dSigma(t);
        double det = a * ds - s * da;
        for (int i = 0; i < len; i++) {
            double xi = x[i];
            double p = pred[i];
            double x1;
            double e;
            switch (from) {
                case DATA -> {
                    x1 = p;
                    e = (xi - a * x1) / s;
                }
                case EPSILON -> {
                    e = p;
                    x1 = (xi - s * e) / a;
                }
                case SCORE -> {
                    e = -s * p;
                    x1 = (xi + s * s * p) / a;
                }
                default -> {
                    x1 = (ds * xi - s * p) / det;
                    e = (a * p - da * xi) / det;
                }
            }
            out[i] = switch (to) {
                case DATA -> x1;
                case EPSILON -> e;
                case SCORE -> -e / s;
                case VELOCITY -> da * x1 + ds * e;
            };
        }
    }
}
