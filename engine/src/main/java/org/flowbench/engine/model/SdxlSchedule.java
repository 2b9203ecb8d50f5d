package org.flowbench.engine.model;

/**
 * SDXL's discrete DDPM noise schedule (scaled linear, 1000 steps): β_i = (linspace(√0.00085, √0.012, 1000)_i)²,
 * ᾱ_τ = Π_{i ≤ τ}(1 − β_i), in double. The level grid of NitroFusion's scheduler and of its discriminators.
 */
public final class SdxlSchedule {
    private static final double[] ALPHA_BAR = compute();

    private SdxlSchedule() {}

    /** ᾱ_τ for τ = 0 … 999 (a copy). */
    public static double[] alphaBar() {
        return ALPHA_BAR.clone();
    }

    /** ᾱ_τ. */
    public static double alphaBar(int tau) {
        return ALPHA_BAR[tau];
    }

    private static double[] compute() {
        double[] out = new double[1000];
        double a = Math.sqrt(0.00085);
        double b = Math.sqrt(0.012);
        double prod = 1;
        for (int i = 0; i < 1000; i++) {
            double s = a + (b - a) * i / 999.0;
            prod *= 1 - s * s;
            out[i] = prod;
        }
        return out;
    }
}
