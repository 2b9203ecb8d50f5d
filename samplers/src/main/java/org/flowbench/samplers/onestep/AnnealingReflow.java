package org.flowbench.samplers.onestep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.train.Trainer;
import org.flowbench.engine.train.VelocityRegression;

/**
 * SlimFlow's annealing reflow: a student trained from scratch on teacher pairs (z, x1) whose coupling anneals from
 * independent to the teacher's. At step k (0-based) the noise of a pair is z̃ = √(1−β_k²)·z + β_k·ε with ε ~ N(0, I),
 * which keeps z̃ ~ N(0, I) for every β; β = 1 is the independent coupling on teacher samples (1-rectified flow of
 * the teacher's distribution), β = 0 exact reflow. Then x_t = t·x1 + (1−t)·z̃ with t ~ U(ε, 1) per pair and the
 * target x1 − z̃ (L2, {@link VelocityRegression}). With probability ½ per batch (one coin) both members of the
 * flippable pairs are mirrored horizontally.
 */
public final class AnnealingReflow {
    /** SlimFlow's time floor: t ~ U(ε, 1). */
    public static final double EPSILON = 1e-3;

    /** The β schedule: linear 1 − min(1, k/K), exp e^(−k/K), cos (1 + cos(π·min(1, k/K)))/2, or fix β ≡ b. */
    public record Beta(String kind, long horizon, double fixed) {
        public Beta {
            switch (kind) {
                case "linear", "exp", "cos" -> {
                    if (horizon < 1) {
                        throw new FlowbenchException("the " + kind + " β schedule needs a horizon K ≥ 1 (e.g. "
                                + kind + ":3000)");
                    }
                }
                case "fix" -> {
                    if (!(fixed >= 0 && fixed <= 1)) {
                        throw new FlowbenchException("a fixed β must be in [0, 1], not " + fixed);
                    }
                }
                default -> throw new FlowbenchException("unknown β schedule " + kind,
                        "use linear:K, exp:K, cos:K or fix:B");
            }
        }

        /** "linear:3000", "exp:3000", "cos:3000", "fix:0.5" (fix:0 = plain reflow from scratch). */
        public static Beta parse(String s) {
            String[] p = s.split(":", 2);
            if (p.length != 2) {
                throw new FlowbenchException("β schedule '" + s + "' is not KIND:VALUE", "use linear:K, exp:K, cos:K or fix:B");
            }
            try {
                return p[0].equals("fix") ? new Beta("fix", 0, Double.parseDouble(p[1]))
                        : new Beta(p[0], Long.parseLong(p[1]), 0);
            } catch (NumberFormatException e) {
                throw new FlowbenchException("β schedule '" + s + "': " + p[1] + " is not a number");
            }
        }

        /** β at (0-based) step k. */
        public double at(long k) {
            double r = Math.min(1.0, k / (double) Math.max(1, horizon));
            return switch (kind) {
                case "linear" -> 1 - r;
                case "exp" -> Math.exp(-k / (double) horizon);
                case "cos" -> (1 + Math.cos(Math.PI * r)) / 2;
                default -> fixed;
            };
        }

        @Override
        public String toString() {
            return kind.equals("fix") ? "fix:" + fixed : kind + ":" + horizon;
        }
    }

    /**
     * Which pairs may be mirrored: one flag per label (index label + 1, so index 0 is the unconditional share).
     * Mirroring a pair is valid when the teacher's map commutes with the mirror for its label.
     */
    public record Flip(boolean[] byLabel, String description) {
        public static Flip off(int classes) {
            return new Flip(new boolean[classes + 1], "off");
        }

        public boolean any() {
            for (boolean b : byLabel) {
                if (b) {
                    return true;
                }
            }
            return false;
        }

        public boolean flips(int label) {
            return byLabel[label + 1];
        }

        /**
         * "off", "all", or a comma-separated list of class names or indices ("none" or "unconditional" for the
         * unconditional share).
         */
        public static Flip parse(String s, List<String> classNames) {
            boolean[] f = new boolean[classNames.size() + 1];
            if (s.equals("off")) {
                return new Flip(f, "off");
            }
            if (s.equals("all")) {
                Arrays.fill(f, true);
                return new Flip(f, "all");
            }
            List<String> names = new ArrayList<>();
            for (String part : s.split(",")) {
                String p = part.trim();
                int idx;
                if (p.equalsIgnoreCase("none") || p.equalsIgnoreCase("unconditional")) {
                    idx = -1;
                } else if (p.matches("\\d+")) {
                    idx = Integer.parseInt(p);
                } else {
                    idx = indexOf(classNames, p);
                }
                if (idx < -1 || idx >= classNames.size()) {
                    throw new FlowbenchException("--hflip: no class '" + p + "'", "classes: " + classNames);
                }
                f[idx + 1] = true;
                names.add(idx < 0 ? "unconditional" : classNames.get(idx));
            }
            return new Flip(f, String.join(", ", names));
        }

        private static int indexOf(List<String> names, String p) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(p)) {
                    return i;
                }
            }
            return Integer.MAX_VALUE;
        }
    }

    private AnnealingReflow() {}

    /** The variance-preserving mix √(1−β²)·z + β·ε into out, ε drawn from rng. */
    public static void mix(float[] z, int from, int count, double beta, SplittableRandom rng, float[] out, int at) {
        double a = Math.sqrt(Math.max(0, 1 - beta * beta));
        for (int i = 0; i < count; i++) {
            out[at + i] = (float) (a * z[from + i] + (beta == 0 ? 0 : beta * rng.nextGaussian()));
        }
    }

    /** Batches of annealed reflow: pairs in epoch order, β from the schedule at the step, the flip coin per batch. */
    public static Trainer.BatchSource<VelocityRegression.Batch> source(TeacherPairs.Pairs pairs, Beta beta, Flip flip,
                                                                      int batch, double epsilon, long seed) {
        EpochOrder order = new EpochOrder(pairs.n(), batch, seed);
        int d = pairs.dim();
        int w = pairs.shape()[pairs.shape().length - 1];
        return (step, rng) -> {
            double b = beta.at(step - 1); // Trainer steps are 1-based, the schedule's k is 0-based
            int[] idx = order.indices(step);
            float[] x = new float[batch * d];
            float[] target = new float[batch * d];
            float[] zt = new float[d];
            float[] x1 = new float[d];
            double[] t = new double[batch];
            int[] labels = new int[batch];
            boolean coin = flip.any() && rng.nextBoolean();
            for (int j = 0; j < batch; j++) {
                int i = idx[j];
                labels[j] = pairs.labels()[i];
                mix(pairs.z(), i * d, d, b, rng, zt, 0);
                System.arraycopy(pairs.x1(), i * d, x1, 0, d);
                if (coin && flip.flips(labels[j])) {
                    TeacherPairs.flipW(zt, w);
                    TeacherPairs.flipW(x1, w);
                }
                t[j] = epsilon + rng.nextDouble() * (1 - epsilon);
                float tj = (float) t[j];
                for (int k = 0; k < d; k++) {
                    x[j * d + k] = tj * x1[k] + (1 - tj) * zt[k];
                    target[j * d + k] = x1[k] - zt[k];
                }
            }
            return new VelocityRegression.Batch(x, t, labels, target, batch);
        };
    }

    /** A one-line description of a schedule for progress lines. */
    public static String describe(Beta beta, long step) {
        return String.format(Locale.ROOT, "β %.3f (%s)", beta.at(step), beta);
    }
}
