package org.flowbench.samplers.reno;

import org.flowbench.engine.FlowbenchException;

/**
 * ReNO's update of one image's initial noise z (d values), in double: the total gradient g = ∇L_rew + λ(1 −
 * (d−1)/‖z‖²)z is clipped to norm {@code clip} (coefficient clip/(‖g‖ + 1e-6), never above 1, as PyTorch's
 * clip_grad_norm_), then one step of SGD with Nesterov momentum (dampening 0: b ← μb + g, z ← z − lr(g + μb)),
 * plain heavy-ball momentum, or Adam (ε = 1e-2 as the reference's optim.py). One instance per image holds that
 * image's optimiser state.
 */
public final class NoiseOptimizer {
    /** The optimiser settings; {@code optimizer} is "sgd" or "adam". */
    public record Settings(String optimizer, double lr, double momentum, boolean nesterov, double clip,
                           double regWeight) {
        public Settings {
            if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
                throw new FlowbenchException("optimizer must be sgd or adam, got '" + optimizer + "'");
            }
            if (!(lr > 0) || momentum < 0 || momentum >= 1 || !(clip > 0) || regWeight < 0) {
                throw new FlowbenchException("ReNO settings out of range: lr " + lr + ", momentum " + momentum
                        + ", clip " + clip + ", reg-weight " + regWeight);
            }
        }

        /** The reference's defaults (lr 5 for d = 16384; use {@link #scaledLr} for other dimensions). */
        public static Settings defaults() {
            return new Settings("sgd", 5.0, 0.9, true, 0.1, 0.01);
        }
    }

    static final double ADAM_BETA1 = 0.9;
    static final double ADAM_BETA2 = 0.999;
    static final double ADAM_EPS = 1e-2;
    private static final double CLIP_EPS = 1e-6;

    private final Settings s;
    private final double[] buffer;
    private final double[] second;
    private int steps;

    public NoiseOptimizer(Settings settings, int dim) {
        this.s = settings;
        this.buffer = new double[dim];
        this.second = settings.optimizer().equals("adam") ? new double[dim] : null;
    }

    /**
     * The learning rate that keeps the reference's relative step at dimension d: the clip bounds each step in
     * absolute units, ‖z‖ grows as √d, so lr = 5·√(d/16384) (1.09 for 784 pixels).
     */
    public static double scaledLr(int dim) {
        return 5.0 * Math.sqrt(dim / 16384.0);
    }

    /** ‖z‖ of image i's slice. */
    public static double norm(double[] z, int off, int dim) {
        double s = 0;
        for (int e = 0; e < dim; e++) {
            s += z[off + e] * z[off + e];
        }
        return Math.sqrt(s);
    }

    /** λ(½‖z‖² − (d−1)·ln‖z‖): the negative log-density of ‖z‖ under the chi distribution with d degrees, times λ. */
    public static double regulariser(double lambda, double[] z, int off, int dim) {
        double r = norm(z, off, dim);
        return lambda * (0.5 * r * r - (dim - 1) * Math.log(r));
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    /**
     * One update of z[off .. off + d) given the reward loss's gradient there (both in place of image i's slice);
     * returns the total gradient's norm before clipping.
     */
    public double step(double[] z, int off, double[] rewardLossGrad, int goff) {
        int d = buffer.length;
        double r2 = 0;
        for (int e = 0; e < d; e++) {
            r2 += z[off + e] * z[off + e];
        }
        double regCoef = r2 > 0 ? s.regWeight() * (1 - (d - 1) / r2) : 0;
        double[] g = new double[d];
        double gn = 0;
        for (int e = 0; e < d; e++) {
            g[e] = rewardLossGrad[goff + e] + regCoef * z[off + e];
            gn += g[e] * g[e];
        }
        gn = Math.sqrt(gn);
        double coef = Math.min(1.0, s.clip() / (gn + CLIP_EPS));
        for (int e = 0; e < d; e++) {
            g[e] *= coef;
        }
        steps++;
        if (second != null) {
            double c1 = 1 - Math.pow(ADAM_BETA1, steps);
            double c2 = 1 - Math.pow(ADAM_BETA2, steps);
            for (int e = 0; e < d; e++) {
                buffer[e] = ADAM_BETA1 * buffer[e] + (1 - ADAM_BETA1) * g[e];
                second[e] = ADAM_BETA2 * second[e] + (1 - ADAM_BETA2) * g[e] * g[e];
                z[off + e] -= s.lr() * (buffer[e] / c1) / (Math.sqrt(second[e] / c2) + ADAM_EPS);
            }
            return gn;
        }
        double mu = s.momentum();
        for (int e = 0; e < d; e++) {
            // PyTorch: the first buffer is the gradient itself (b_1 = g_1), then b ← μb + g
            buffer[e] = steps == 1 ? g[e] : mu * buffer[e] + g[e];
            double update = mu == 0 ? g[e] : s.nesterov() ? g[e] + mu * buffer[e] : buffer[e];
            z[off + e] -= s.lr() * update;
        }
        return gn;
    }
}
