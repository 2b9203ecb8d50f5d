package org.flowbench.engine.random;

/**
 * Gaussian and uniform noise as a pure function of (seed, image index, stream, element).
 *
 * <p>The same image gets the same noise whatever the batch size, lane, thread or device: the Philox counter is
 * (element block, stream, image index low, image index high) and the key is the seed. Stream 0 is the initial noise
 * of a sample; samplers that need more noise (SDE steps, resampling) use other streams, one per purpose and step.
 */
public final class NoiseSource {
    private static final double TWO_PI = 2 * Math.PI;
    private static final double INV_2_32 = 1.0 / 4294967296.0;

    private NoiseSource() {}

    /** Standard normal draws, length n: element j of (seed, image, stream). Doubles from pairs of 32-bit words. */
    public static void gaussian(long seed, long image, int stream, double[] out, int off, int n) {
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        int[] w = new int[4];
        for (int j = 0; j < n; j += 2) {
            Philox4x32.block(j >>> 1, stream, (int) image, (int) (image >>> 32), k0, k1, w, 0);
            // Box-Muller on two 64-bit-ish uniforms in (0, 1]: u1 never 0 so the log is finite.
            double u1 = ((w[0] & 0xFFFFFFFFL) + 1.0) * INV_2_32 + (w[1] & 0xFFFFFFFFL) * INV_2_32 * INV_2_32;
            double u2 = (w[2] & 0xFFFFFFFFL) * INV_2_32 + (w[3] & 0xFFFFFFFFL) * INV_2_32 * INV_2_32;
            u1 = Math.min(u1, 1.0);
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[off + j] = r * Math.cos(TWO_PI * u2);
            if (j + 1 < n) {
                out[off + j + 1] = r * Math.sin(TWO_PI * u2);
            }
        }
    }

    public static double[] gaussian(long seed, long image, int stream, int n) {
        double[] out = new double[n];
        gaussian(seed, image, stream, out, 0, n);
        return out;
    }

    /** One uniform double in [0, 1) for (seed, image, stream, index): used for resampling and random choices. */
    public static double uniform(long seed, long image, int stream, int index) {
        int[] w = new int[4];
        Philox4x32.block(index, stream | 0x40000000, (int) image, (int) (image >>> 32), (int) seed, (int) (seed >>> 32), w, 0);
        return ((w[0] >>> 11) * (double) (1L << 32) + (w[1] & 0xFFFFFFFFL)) * 0x1.0p-53;
    }
}
