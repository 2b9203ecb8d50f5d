package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.junit.jupiter.api.Test;

/**
 * §4.3.9, on every built-in path: the generic Feynman–Kac rate g = ∂_t log p̃ + ∇·b + ⟨b, S⟩ − (D/2)(∇·S + ‖S‖²) of
 * the particle SDE dx = b dt + √D dW with b = (α'/α)x + ((1 + ζ²)/2)·g²·S, D = ζ²g², for the target
 * p̃ = Π q_i^{β_i} (S = Σ β_i s_i), minus the sampler's rule ½g²(‖S‖² − Σ β_i ‖s_i‖²), is the same for every x:
 * the rule is exact up to an x-independent constant, for annealing, products and CFG, and for both noise variants.
 * ∂_t log q and ∇·s are taken by central finite differences of the exact mixture log-density and score.
 */
class FkcWeightRuleTest {
    static GaussianMixture mix(String path, double[] w, double[] mu, double[] s) {
        double[][] means = new double[mu.length][];
        for (int j = 0; j < mu.length; j++) {
            means[j] = new double[] {mu[j]};
        }
        return new GaussianMixture("m", new MixtureSpec(path, w, means, s, null, null, 0.01, 10));
    }

    static double logq(GaussianMixture q, double x, double t) {
        return q.logDensity(new double[] {x}, 0, t, -1);
    }

    static double score(GaussianMixture q, double x, double t) {
        double[] out = new double[1];
        q.score(new double[] {x}, 1, t, null, out);
        return out[0];
    }

    @Test
    void ruleIsExactUpToAConstantOnEveryPath() {
        for (String path : List.of("rectified-flow", "vp", "ve")) {
            GaussianMixture q1 = mix(path, new double[] {0.5, 0.5}, new double[] {-2, 2}, new double[] {0.3, 1.0});
            GaussianMixture q2 = mix(path, new double[] {0.4, 0.6}, new double[] {-1.5, 1}, new double[] {1.0, 0.5});
            NoisePath p = q1.path();
            // (experts, exponents): annealing β = 2 and 0.5, product, general (0.7, 1.8), CFG w = 3 (1 − w, w)
            List<double[]> exps = List.of(new double[] {2, 0}, new double[] {0.5, 0}, new double[] {1, 1},
                    new double[] {0.7, 1.8}, new double[] {-2, 3});
            for (double t : new double[] {0.2, 0.5, 0.8}) {
                double a = p.alpha(t);
                double ratio = p.dAlpha(t) / a;
                double g2 = p.diffusionSquared(t);
                for (double[] beta : exps) {
                    double b = beta[0] + beta[1];
                    for (double zeta : new double[] {1, 1 / Math.sqrt(Math.abs(b))}) {
                        double kappa = (1 + zeta * zeta) / 2;
                        double min = Double.POSITIVE_INFINITY;
                        double max = Double.NEGATIVE_INFINITY;
                        double scale = 0;
                        for (int i = 0; i <= 12; i++) {
                            double x = -3 + 0.5 * i;
                            double dt = 1e-5;
                            double dx = 1e-4;
                            double dlogp = 0;
                            double sS = 0;
                            double divS = 0;
                            double sumSq = 0;
                            GaussianMixture[] qs = {q1, q2};
                            for (int e = 0; e < 2; e++) {
                                if (beta[e] == 0) {
                                    continue;
                                }
                                GaussianMixture q = qs[e];
                                dlogp += beta[e] * (logq(q, x, t + dt) - logq(q, x, t - dt)) / (2 * dt);
                                double si = score(q, x, t);
                                sS += beta[e] * si;
                                sumSq += beta[e] * si * si;
                                divS += beta[e] * (score(q, x + dx, t) - score(q, x - dx, t)) / (2 * dx);
                            }
                            double drift = ratio * x + kappa * g2 * sS;
                            double divDrift = ratio + kappa * g2 * divS;
                            double dd = zeta * zeta * g2;
                            double generic = dlogp + divDrift + drift * sS - 0.5 * dd * (divS + sS * sS);
                            double rule = 0.5 * g2 * (sS * sS - sumSq);
                            double diff = generic - rule;
                            min = Math.min(min, diff);
                            max = Math.max(max, diff);
                            scale = Math.max(scale, Math.abs(rule) + Math.abs(generic));
                        }
                        assertTrue(max - min <= 1e-5 * (1 + scale), path + " t=" + t + " β=" + beta[0] + "," + beta[1]
                                + " ζ=" + zeta + ": spread " + (max - min) + " (scale " + scale + ")");
                    }
                }
            }
        }
    }
}
