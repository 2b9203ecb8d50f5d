package org.flowbench.samplers.boss;

import org.flowbench.engine.FlowbenchException;

/**
 * The exact-K dynamic programme of BOSS: on nodes 0..n−1 of a fine grid with one-step costs {@code c[i][j]} (i < j),
 * the path 0 = i_0 &lt; i_1 &lt; … &lt; i_K = n−1 with exactly K edges of least total cost.
 *
 * <pre>
 * V[i][1] = c[i][n−1]
 * V[i][k] = min_{i &lt; j &lt; n−1} c[i][j] + V[j][k−1]      (k = 2..K; +∞ when no j exists)
 * </pre>
 * Backtracking picks, at every step, the smallest j with V[cur][k] == c[cur][j] + V[j][k−1] (exact equality), so
 * among optimal paths the lexicographically smallest one is returned. When n == K + 1 the full grid is the answer.
 * Cost O(K·n²).
 */
public final class BellmanDp {
    private BellmanDp() {}

    /** The optimal path (K + 1 node indices) and its cost V[0][K]. */
    public record Result(int[] path, double objective) {}

    public static Result solve(CostMatrix c, int steps) {
        int n = c.nodes();
        if (steps < 1) {
            throw new FlowbenchException("BOSS needs at least one step, got " + steps);
        }
        if (steps > n - 1) {
            throw new FlowbenchException("BOSS: " + steps + " steps need a fine grid of at least " + steps
                    + " steps, got " + (n - 1), "raise 'fine' or lower 'steps'");
        }
        if (steps == n - 1) {
            int[] all = new int[n];
            double cost = 0;
            for (int i = 0; i < n; i++) {
                all[i] = i;
                if (i > 0) {
                    cost += c.get(i - 1, i);
                }
            }
            return new Result(all, cost);
        }
        int last = n - 1;
        double[][] v = new double[steps + 1][n];
        for (int i = 0; i < n; i++) {
            v[1][i] = i < last ? c.get(i, last) : Double.POSITIVE_INFINITY;
        }
        for (int k = 2; k <= steps; k++) {
            double[] prev = v[k - 1];
            double[] cur = v[k];
            for (int i = 0; i < last; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int j = i + 1; j < last; j++) {
                    double cand = c.get(i, j) + prev[j];
                    if (cand < best) {
                        best = cand;
                    }
                }
                cur[i] = best;
            }
            cur[last] = Double.POSITIVE_INFINITY;
        }
        int[] path = new int[steps + 1];
        int at = 0;
        for (int k = steps; k >= 2; k--) {
            double target = v[k][at];
            int pick = -1;
            for (int j = at + 1; j < last; j++) {
                if (c.get(at, j) + v[k - 1][j] == target) {
                    pick = j;
                    break;
                }
            }
            if (pick < 0) {
                throw new IllegalStateException("BOSS DP backtrack failed at k = " + k);
            }
            path[steps - k + 1] = pick;
            at = pick;
        }
        path[steps] = last;
        return new Result(path, v[steps][0]);
    }
}
