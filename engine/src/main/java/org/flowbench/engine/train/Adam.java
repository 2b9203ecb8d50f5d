package org.flowbench.engine.train;

import java.util.List;
import java.util.Map;
import org.flowbench.engine.nn.ParamStore;

/**
 * Adam with linear warm-up and global-norm clipping on the Java heap, the update both training loops use
 * ({@link Trainer}, one parameter set; {@link StepTrainer}, one per group). Moments are float32, the arithmetic
 * double, in parameter order, so results are exact across checkpoints and resumes.
 *
 * @param lr peak learning rate
 * @param warmupSteps steps of linear warm-up from 0 (0 = none)
 * @param clipNorm global gradient-norm clip (0 = none)
 * @param emaDecay nominal EMA decay (1 = no EMA)
 */
public record Adam(double lr, int warmupSteps, double beta1, double beta2, double eps, double clipNorm,
                   double emaDecay) {
    public static Adam defaults(double lr) {
        return new Adam(lr, 0, 0.9, 0.999, 1e-8, 1.0, 0.999);
    }

    public Adam withWarmup(int v) {
        return new Adam(lr, v, beta1, beta2, eps, clipNorm, emaDecay);
    }

    public Adam withBetas(double b1, double b2) {
        return new Adam(lr, warmupSteps, b1, b2, eps, clipNorm, emaDecay);
    }

    public Adam withClip(double v) {
        return new Adam(lr, warmupSteps, beta1, beta2, eps, v, emaDecay);
    }

    public Adam withEma(double v) {
        return new Adam(lr, warmupSteps, beta1, beta2, eps, clipNorm, v);
    }

    /** Learning rate at (1-based) step s of this group. */
    public double lrAt(long s) {
        return warmupSteps <= 0 ? lr : lr * Math.min(1.0, s / (double) warmupSteps);
    }

    /** Every hyper-parameter by name, for checkpoints and the package's provenance. */
    public Map<String, Object> toMap() {
        return HyperParameters.of(this, "adam");
    }

    /** The global L2 norm of the gradients. */
    static double norm(float[][] grads) {
        double sq = 0;
        for (float[] g : grads) {
            for (float v : g) {
                sq += (double) v * v;
            }
        }
        return Math.sqrt(sq);
    }

    /** One update (number t, 1-based) of {@code params} with gradients of global norm {@code norm}. */
    static void update(ParamStore params, ParamStore m1, ParamStore m2, List<String> names, float[][] grads,
                       double norm, double lr, long t, double beta1, double beta2, double eps, double clipNorm) {
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-6) : 1.0;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int k = 0; k < names.size(); k++) {
            String n = names.get(k);
            float[] w = params.get(n);
            float[] m = m1.get(n);
            float[] v = m2.get(n);
            float[] g = grads[k];
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] * scale;
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                w[i] = (float) (w[i] - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps));
            }
        }
    }

    /** EMA update number k (1-based) with the warm-up rule decay_k = min(decay, (1+k)/(10+k)). */
    static void ema(ParamStore ema, ParamStore params, double decay, long k) {
        double d = Trainer.emaDecay(decay, k);
        for (String n : params.names()) {
            float[] e = ema.get(n);
            float[] w = params.get(n);
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) (d * e[i] + (1 - d) * w[i]);
            }
        }
    }

    static ParamStore zerosLike(ParamStore p) {
        ParamStore z = new ParamStore();
        for (String n : p.names()) {
            z.put(n, p.shape(n).clone(), new float[p.get(n).length]);
        }
        return z;
    }
}
