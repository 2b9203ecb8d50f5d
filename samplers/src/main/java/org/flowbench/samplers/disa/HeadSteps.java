package org.flowbench.samplers.disa;

import java.util.Locale;
import java.util.TreeSet;
import org.flowbench.engine.FlowbenchException;

/**
 * DiSA's diffusion-step annealing: how many head steps T(k) the per-token diffusion head takes at autoregressive step
 * k of K, falling from {@code upper} (T_up) at k = 0 to {@code lower} (T_lo) at the last step. The rules are those of
 * the official code: MAR/Harmon's four strategies over the pre-built samplers T_lo..T_up, FlowAR's per-scale rule and
 * xAR's linear rule (docs/methods-disa.md; truncation is Python's {@code int()} of a non-negative number). The schedule
 * depends only on (k, K), never on which tokens a step samples.
 */
public final class HeadSteps {
    private HeadSteps() {}

    /** MAR's annealing strategies. */
    public enum Strategy {
        LINEAR, COSINE, TWO_STAGE, CONSTANT;

        public static Strategy parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new FlowbenchException("unknown DiSA schedule '" + s + "'",
                        "use linear, cosine, two-stage or constant");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * MAR / Harmon: with L = upper − lower + 1 samplers and U = K − 1, {@code T(k) = lower + id} where id is
     * ⌊(U − k)/U·(L − 1)⌋ (linear), ⌊(cos(πk/U) + 1)/2·(L − 1)⌋ (cosine), L − 1 for k &lt; U/2 else 0 (two-stage), or 0
     * (constant: always T_lo). A single AR step (K = 1) takes T_up, except under the constant strategy.
     */
    public static int mar(Strategy s, int k, int arSteps, int upper, int lower) {
        check(k, arSteps, upper, lower);
        int span = upper - lower;
        int u = arSteps - 1;
        if (u == 0) {
            return s == Strategy.CONSTANT ? lower : upper;
        }
        int id = switch (s) {
            case LINEAR -> (int) Math.floor((double) (u - k) / u * span);
            case COSINE -> (int) Math.floor((Math.cos(Math.PI * k / u) + 1) / 2 * span);
            case TWO_STAGE -> k < u / 2.0 ? span : 0;
            case CONSTANT -> 0;
        };
        return lower + id;
    }

    /** The whole MAR schedule T(0..K−1). */
    public static int[] mar(Strategy s, int arSteps, int upper, int lower) {
        int[] t = new int[arSteps];
        for (int k = 0; k < arSteps; k++) {
            t[k] = mar(s, k, arSteps, upper, lower);
        }
        return t;
    }

    /** FlowAR over {@code scales} scales (S = scales − 1): {@code T(k) = ⌊(upper − lower)(S − k)/S + lower⌋}. */
    public static int flowAr(int k, int scales, int upper, int lower) {
        check(k, scales, upper, lower);
        int s = scales - 1;
        return s == 0 ? upper : (int) Math.floor((double) (upper - lower) * (s - k) / s + lower);
    }

    /** xAR: {@code T(k) = ⌊(K − 1 − k)/(K − 1)·(upper − lower) + lower⌋}. */
    public static int xar(int k, int arSteps, int upper, int lower) {
        check(k, arSteps, upper, lower);
        int u = arSteps - 1;
        return u == 0 ? upper : (int) Math.floor((double) (u - k) / u * (upper - lower) + lower);
    }

    /**
     * MAR's respacing of its 1000-step diffusion to T steps: kept timesteps round(j·999/(T − 1)), j = 0..T − 1, each
     * clipped to at most {@code clip} (MAR-DiSA's time offset, 950; 1001 = no clip), duplicates removed; ascending.
     * With the clip, T = 50 keeps 48 distinct timesteps.
     */
    public static int[] marRespacing(int steps, int clip) {
        if (steps < 1 || steps > 1000) {
            throw new FlowbenchException("MAR respacing needs 1 to 1000 steps, got " + steps);
        }
        TreeSet<Integer> kept = new TreeSet<>();
        for (int j = 0; j < steps; j++) {
            int t = steps == 1 ? 0 : (int) Math.rint(j * 999.0 / (steps - 1)); // Python round: half to even
            kept.add(Math.min(t, clip));
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void check(int k, int arSteps, int upper, int lower) {
        if (arSteps < 1 || k < 0 || k >= arSteps) {
            throw new FlowbenchException("AR step " + k + " of " + arSteps + " does not exist");
        }
        if (lower < 1 || upper < lower) {
            throw new FlowbenchException("DiSA needs 1 ≤ lower ≤ upper head steps, got upper " + upper + ", lower "
                    + lower);
        }
    }
}
