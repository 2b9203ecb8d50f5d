package org.flowbench.samplers.disa;

import org.flowbench.engine.FlowbenchException;

/**
 * MAR's cosine mask schedule: after AR step k of K, {@code m = ⌊L·cos(π/2·(k + 1)/K)⌋} of the L tokens stay masked,
 * clamped to [1, masked − 1] so that every step samples at least one token and one stays for later, except at the last
 * step, which samples all that remain.
 */
public final class MaskSchedule {
    private MaskSchedule() {}

    /** Tokens sampled at each of the K steps (they sum to L). */
    public static int[] tokensPerStep(int tokens, int arSteps) {
        if (tokens < 1 || arSteps < 1 || arSteps > tokens) {
            throw new FlowbenchException("a cosine mask schedule needs 1 ≤ AR steps ≤ tokens, got " + arSteps
                    + " steps for " + tokens + " tokens");
        }
        int[] n = new int[arSteps];
        int masked = tokens;
        for (int k = 0; k < arSteps; k++) {
            int m = 0;
            if (k < arSteps - 1) {
                m = (int) Math.floor(tokens * Math.cos(Math.PI / 2 * (k + 1) / arSteps));
                m = Math.max(1, Math.min(masked - 1, m));
            }
            n[k] = masked - m;
            masked = m;
        }
        return n;
    }

    /** MAR's linear guidance schedule: the guidance at a step that leaves m of L tokens masked. */
    public static double linearGuidance(double cfg, int tokens, int maskedAfter) {
        return 1 + (cfg - 1) * (tokens - maskedAfter) / (double) tokens;
    }
}
