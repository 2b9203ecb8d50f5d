package org.flowbench.engine.model;

import org.flowbench.engine.FlowbenchException;

/** The three built-in probability paths. */
public final class Paths {
    private Paths() {}

    public static NoisePath byId(String id, double sigmaMin, double sigmaMax) {
        return switch (id) {
            case "rectified-flow", "rf" -> RECTIFIED_FLOW;
            case "vp" -> new Vp(0.1, 20.0, 1e-3);
            case "ve" -> new Ve(sigmaMin, sigmaMax);
            default -> throw new FlowbenchException("unknown path '" + id + "'", "use rectified-flow, vp or ve");
        };
    }

    /** Rectified flow: x_t = t·x1 + (1−t)·x0, t = 0 noise, t = 1 data. */
    public static final NoisePath RECTIFIED_FLOW = new NoisePath() {
        public String id() {
            return "rectified-flow";
        }

        public double alpha(double t) {
            return t;
        }

        public double sigma(double t) {
            return 1 - t;
        }

        public double dAlpha(double t) {
            return 1;
        }

        public double dSigma(double t) {
            return -1;
        }

        public double tStart() {
            return 0;
        }

        public double tEnd() {
            return 1;
        }

        public double tOfRatio(double ratio) {
            return 1 / (1 + ratio);
        }
    };

    /**
     * Variance-preserving SDE dx = −½b(τ)x dτ + √b(τ) dW, b(τ) = b_min + τ(b_max − b_min), τ = 1 noise. Generation
     * time is t = 1 − τ; τ stops at τ_min (the SDE is singular at τ = 0).
     */
    public record Vp(double bMin, double bMax, double tauMin) implements NoisePath {
        public String id() {
            return "vp";
        }

        private double logAlpha(double tau) {
            return -0.5 * (bMin * tau + 0.5 * (bMax - bMin) * tau * tau);
        }

        public double alpha(double t) {
            return Math.exp(logAlpha(1 - t));
        }

        public double sigma(double t) {
            return Math.sqrt(-Math.expm1(2 * logAlpha(1 - t)));
        }

        public double dAlpha(double t) {
            double tau = 1 - t;
            return alpha(t) * 0.5 * (bMin + (bMax - bMin) * tau);
        }

        public double dSigma(double t) {
            return -alpha(t) * dAlpha(t) / sigma(t);
        }

        public double tStart() {
            return 0;
        }

        public double tEnd() {
            return 1 - tauMin;
        }

        public double tOfRatio(double ratio) {
            double d = bMax - bMin;
            double tau = (-bMin + Math.sqrt(bMin * bMin + 2 * d * Math.log1p(ratio * ratio))) / d;
            return Math.min(tEnd(), Math.max(tStart(), 1 - tau));
        }

        @Override
        public double priorStd() {
            return 1;
        }
    }

    /** Variance-exploding path x = x1 + σ·x0 with σ log-linear in t from σ_max (t = 0) to σ_min (t = 1). */
    public record Ve(double sigmaMin, double sigmaMax) implements NoisePath {
        public Ve {
            if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) {
                throw new FlowbenchException("VE path needs 0 < sigmaMin < sigmaMax, got " + sigmaMin + ", " + sigmaMax);
            }
        }

        public String id() {
            return "ve";
        }

        public double alpha(double t) {
            return 1;
        }

        public double sigma(double t) {
            return sigmaMax * Math.pow(sigmaMin / sigmaMax, t);
        }

        public double dAlpha(double t) {
            return 0;
        }

        public double dSigma(double t) {
            return sigma(t) * Math.log(sigmaMin / sigmaMax);
        }

        public double tStart() {
            return 0;
        }

        public double tEnd() {
            return 1;
        }

        public double tOfRatio(double ratio) {
            double t = Math.log(ratio / sigmaMax) / Math.log(sigmaMin / sigmaMax);
            return Math.min(1, Math.max(0, t));
        }
    }
}
