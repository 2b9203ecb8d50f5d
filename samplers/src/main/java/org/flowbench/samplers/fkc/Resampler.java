package org.flowbench.samplers.fkc;

/**
 * Resampling of one weighted population, given its log-weights. Normalisation is by log-sum-exp, so adding a
 * constant to every log-weight changes nothing.
 *
 * <p>Systematic: p = softmax(w), c_k = p_0 + … + p_k with c_{N−1} forced to 1, one U ~ Uniform[0, 1),
 * u_k = (k + U)/N, ancestor a_k = min{j : u_k &lt; c_j}. The bins are left-closed, so a particle of weight 0 is
 * never drawn and equal weights keep slot k on particle k for every U; every particle j gets ⌊N p_j⌋ or ⌈N p_j⌉
 * offspring. (The reference code's u_k = frac(U + k/N) gives the same offspring counts in another slot order.)
 * Multinomial: the u_k are independent.
 */
public final class Resampler {
    private Resampler() {}

    /** Normalised weights p (length n) from log-weights w[off .. off+n). */
    public static double[] probabilities(double[] w, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, w[off + k]);
        }
        double[] p = new double[n];
        if (max == Double.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(p, 1.0 / n);
            return p;
        }
        double z = 0;
        for (int k = 0; k < n; k++) {
            p[k] = Math.exp(w[off + k] - max);
            z += p[k];
        }
        for (int k = 0; k < n; k++) {
            p[k] /= z;
        }
        return p;
    }

    /** Effective sample size 1 / Σ p_k². */
    public static double ess(double[] p) {
        double s = 0;
        for (double v : p) {
            s += v * v;
        }
        return 1 / s;
    }

    /** True when all log-weights are equal (resampling would change nothing in distribution). */
    public static boolean uniform(double[] w, int off, int n) {
        for (int k = 1; k < n; k++) {
            if (w[off + k] != w[off]) {
                return false;
            }
        }
        return true;
    }

    private static double[] cumulative(double[] p) {
        double[] c = new double[p.length];
        double acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            c[k] = acc;
        }
        c[p.length - 1] = 1;
        return c;
    }

    private static int search(double[] c, double u) {
        int lo = 0;
        int hi = c.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < c[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Systematic resampling with the single uniform {@code u} ∈ [0, 1): u_k = (k + u)/N, ancestor of slot k is
     * a_k = min{j : u_k &lt; c_j}, found in one sweep (O(N)). Ancestors are non-decreasing in k, so (nearly) equal
     * weights map every slot to itself.
     */
    public static int[] systematic(double[] p, double u) {
        int n = p.length;
        int[] a = new int[n];
        boolean equal = true;
        for (int k = 1; k < n && equal; k++) {
            equal = p[k] == p[0];
        }
        if (equal) {
            for (int k = 0; k < n; k++) {
                a[k] = k;
            }
            return a;
        }
        // compare k + u with the cumulative expected offspring N·(p_0 + … + p_j): exact for dyadic weights
        double[] c = new double[n];
        double acc = 0;
        for (int k = 0; k < n; k++) {
            acc += n * p[k];
            c[k] = acc;
        }
        c[n - 1] = n;
        int j = 0;
        for (int k = 0; k < n; k++) {
            double uk = k + u;
            while (j < n - 1 && !(uk < c[j])) {
                j++;
            }
            a[k] = j;
        }
        return a;
    }

    /** One index drawn from p with the uniform {@code u} (inverse CDF, left-closed bins). */
    public static int draw(double[] p, double u) {
        return search(cumulative(p), u);
    }

    /** Multinomial resampling with one independent uniform per slot. */
    public static int[] multinomial(double[] p, double[] uniforms) {
        double[] c = cumulative(p);
        int[] a = new int[p.length];
        for (int k = 0; k < p.length; k++) {
            a[k] = search(c, uniforms[k]);
        }
        return a;
    }

    /** Offspring counts of each particle for an ancestor vector. */
    public static int[] counts(int[] ancestors, int n) {
        int[] c = new int[n];
        for (int a : ancestors) {
            c[a]++;
        }
        return c;
    }

    /** Number of distinct ancestors. */
    public static int unique(int[] ancestors) {
        boolean[] seen = new boolean[ancestors.length];
        int u = 0;
        for (int a : ancestors) {
            if (!seen[a]) {
                seen[a] = true;
                u++;
            }
        }
        return u;
    }
}
