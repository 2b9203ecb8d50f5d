package org.flowbench.engine.model;

/**
 * A Gaussian probability path x_t = α(t)·x1 + σ(t)·x0 with x0 ~ N(0, I) and x1 ~ data, in <em>generation time</em>:
 * t runs from {@link #tStart()} (noise) to {@link #tEnd()} (data), and α/σ increases with t. Every model is seen by
 * samplers through this one convention; other conventions (VP τ, VE σ) are converted here, in one place.
 */
public interface NoisePath {
    /** "rectified-flow", "vp" or "ve". */
    String id();

    double alpha(double t);

    double sigma(double t);

    double dAlpha(double t);

    double dSigma(double t);

    /** Where generation starts (noise end of the usable interval). */
    double tStart();

    /** Where generation ends (data end of the usable interval). */
    double tEnd();

    /** The time at which the noise-to-signal ratio σ/α equals {@code ratio} (clamped to the usable interval). */
    double tOfRatio(double ratio);

    default double ratio(double t) {
        return sigma(t) / alpha(t);
    }

    /** Standard deviation of the noise that generation starts from. */
    default double priorStd() {
        return sigma(tStart());
    }

    /**
     * Squared diffusion coefficient g²(t) of the path's own forward SDE, per unit of generation time:
     * g² = 2σ²·α'/α − 2σσ'. The reverse SDE dx = (v + ½g²∇log p)dt + g dW has the path's marginals.
     */
    default double diffusionSquared(double t) {
        double a = alpha(t);
        double s = sigma(t);
        return 2 * s * s * dAlpha(t) / a - 2 * s * dSigma(t);
    }
}
