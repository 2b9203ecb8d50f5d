package org.flowbench.engine.model;

/** x̂1 = E[data | x_t = x, label]: the clean-image estimate previews show. */
@FunctionalInterface
public interface Denoiser {
    void denoise(double[] x, int n, double t, int[] labels, double[] out);
}
