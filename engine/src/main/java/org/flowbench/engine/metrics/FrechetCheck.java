package org.flowbench.engine.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fixed Fréchet-distance workload for comparing linear-algebra backends on one machine (the GPU against the CPU in
 * {@code flowbench selftest} and in the GPU check bundle): two sets of correlated Gaussian features with a mean shift
 * and unequal scales, their statistics accumulated in batches of 256, and the distance between them.
 */
public final class FrechetCheck {
    /** The distance, and the seconds spent accumulating both sets' statistics and computing the distance. */
    public record Timing(double distance, double accumulateSeconds, double distanceSeconds) {
        public double seconds() {
            return accumulateSeconds + distanceSeconds;
        }
    }

    private FrechetCheck() {}

    /** Two sets of {@code rows} × {@code dim} features, row-major, from a fixed seed. */
    public static double[][] sets(int dim, int rows) {
        SplittableRandom rnd = new SplittableRandom(20261206);
        double[][] s = new double[2][rows * dim];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < rows; i++) {
                double shared = rnd.nextGaussian();
                for (int j = 0; j < dim; j++) {
                    s[k][i * dim + j] = (1 + j / (double) dim) * rnd.nextGaussian() + 0.3 * shared + k * 0.05;
                }
            }
        }
        return s;
    }

    /** Statistics of both sets and their distance on {@code l}, timed. */
    public static Timing run(Linalg l, double[][] sets, int dim, int rows) {
        long t0 = System.nanoTime();
        GaussianStats a = new GaussianStats(dim, l);
        GaussianStats b = new GaussianStats(dim, l);
        int batch = 256;
        for (int i = 0; i < rows; i += batch) {
            int n = Math.min(batch, rows - i);
            a.addBatch(Arrays.copyOfRange(sets[0], i * dim, (i + n) * dim), n);
            b.addBatch(Arrays.copyOfRange(sets[1], i * dim, (i + n) * dim), n);
        }
        long t1 = System.nanoTime();
        double d = Frechet.distance(a, b, l);
        return new Timing(d, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }
}
