package org.flowbench.samplers.reno;

import java.util.Arrays;

/**
 * ReNO's loop over a batch of independent images (reference §1.3): for k = 0 .. T−1 evaluate the weighted reward
 * loss of every image's current noise; keep the image whose reward loss is the lowest so far (the regulariser never
 * enters the choice); then, unless k is the last iteration, one {@link NoiseOptimizer} step per image. T evaluations,
 * T − 1 updates. The baselines share the loop: image-select draws a fresh noise per iteration and takes no step
 * (best-of-T random search with the same reward), no-optim evaluates the initial noise once.
 */
public final class NoiseSearch {
    /** How the noise is searched. */
    public enum Mode {
        GRADIENT("gradient"), IMAGE_SELECT("image-select"), NONE("none");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static Mode of(String word) {
            for (Mode m : values()) {
                if (m.word.equals(word)) {
                    return m;
                }
            }
            throw new org.flowbench.engine.FlowbenchException("unknown search '" + word + "'",
                    "use gradient, image-select or none");
        }
    }

    /**
     * The weighted reward loss of n noises: per image the loss, each reward's own value (reward k → n values), the
     * generated images and, when asked, ∇z of the loss (n × d).
     */
    public record Evaluation(double[] loss, double[][] rewards, double[] images, double[] lossGradient) {}

    /** Evaluates noises (n × d, image order). */
    public interface Objective {
        Evaluation evaluate(double[] z, boolean withGradient);
    }

    /** What the caller sees between iterations; {@link #stop} ends the search after the current evaluation. */
    public interface Hooks {
        /** After evaluation k (0-based): the noises evaluated and the evaluation. */
        default void evaluated(int k, double[] z, Evaluation e) {}

        /** Image-select's fresh noise for iteration k ≥ 1 (n × d). */
        default void freshNoise(int k, double[] out) {
            throw new IllegalStateException("image-select needs fresh noise");
        }

        default boolean stop() {
            return false;
        }
    }

    /**
     * Per image: the best (lowest reward loss) image, its noise, iteration and rewards; the initial (k = 0) image and
     * loss; the loss and ‖z‖ after every evaluation (n × iterations, NaN after a stop); and how many evaluations
     * ran.
     */
    public record Outcome(int n, int dim, int imageDim, double[] bestImages, double[] bestNoise, int[] bestIteration,
                          double[] bestLoss, double[][] bestRewards, double[] initialImages, double[] initialLoss,
                          double[][] initialRewards, double[] lossTrace, double[] normTrace, int evaluations) {}

    private NoiseSearch() {}

    /** Runs the search from noises z (n × d, changed in place); {@code iterations} is T. */
    public static Outcome run(int n, int d, double[] z, Mode mode, int iterations, NoiseOptimizer.Settings settings,
                              Objective objective, Hooks hooks) {
        int t = mode == Mode.NONE ? 1 : iterations;
        NoiseOptimizer[] opt = new NoiseOptimizer[n];
        for (int i = 0; i < n; i++) {
            opt[i] = new NoiseOptimizer(settings, d);
        }
        double[] bestLoss = new double[n];
        Arrays.fill(bestLoss, Double.POSITIVE_INFINITY);
        int[] bestIter = new int[n];
        double[] bestNoise = new double[n * d];
        double[] lossTrace = new double[n * t];
        double[] normTrace = new double[n * t];
        Arrays.fill(lossTrace, Double.NaN);
        Arrays.fill(normTrace, Double.NaN);
        double[] bestImages = null;
        double[] initialImages = null;
        double[] initialLoss = null;
        double[][] initialRewards = null;
        double[][] bestRewards = null;
        int imageDim = 0;
        int done = 0;
        for (int k = 0; k < t; k++) {
            if (mode == Mode.IMAGE_SELECT && k > 0) {
                hooks.freshNoise(k, z);
            }
            boolean last = k == t - 1;
            Evaluation e = objective.evaluate(z, mode == Mode.GRADIENT && !last);
            done++;
            if (k == 0) {
                imageDim = e.images().length / n;
                bestImages = new double[n * imageDim];
                initialImages = e.images().clone();
                initialLoss = e.loss().clone();
                initialRewards = copy(e.rewards());
                bestRewards = new double[e.rewards().length][n];
            }
            for (int i = 0; i < n; i++) {
                lossTrace[i * t + k] = e.loss()[i];
                normTrace[i * t + k] = NoiseOptimizer.norm(z, i * d, d);
                // strictly lower: the earliest of equal losses stays (the reference's `<`)
                if (e.loss()[i] < bestLoss[i]) {
                    bestLoss[i] = e.loss()[i];
                    bestIter[i] = k;
                    System.arraycopy(e.images(), i * imageDim, bestImages, i * imageDim, imageDim);
                    System.arraycopy(z, i * d, bestNoise, i * d, d);
                    for (int r = 0; r < bestRewards.length; r++) {
                        bestRewards[r][i] = e.rewards()[r][i];
                    }
                }
            }
            hooks.evaluated(k, z, e);
            if (hooks.stop()) {
                break;
            }
            if (mode == Mode.GRADIENT && !last) {
                for (int i = 0; i < n; i++) {
                    opt[i].step(z, i * d, e.lossGradient(), i * d);
                }
            }
        }
        return new Outcome(n, d, imageDim, bestImages, bestNoise, bestIter, bestLoss, bestRewards, initialImages,
                initialLoss, initialRewards, lossTrace, normTrace, done);
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
