package org.flowbench.samplers.boss;

import java.util.Arrays;

/**
 * The upper triangle of a BOSS cost matrix over n fine-grid nodes: c[i][j] for 0 ≤ i &lt; j &lt; n, stored packed
 * (n(n−1)/2 doubles). Entries with j ≤ i do not exist (the DP never asks for them).
 */
public final class CostMatrix {
    private final int n;
    private final double[] packed;

    public CostMatrix(int n) {
        this(n, new double[n * (n - 1) / 2]);
    }

    public CostMatrix(int n, double[] packed) {
        if (n < 2 || packed.length != n * (n - 1) / 2) {
            throw new IllegalArgumentException("cost matrix: " + n + " nodes need " + n * (n - 1) / 2 + " entries");
        }
        this.n = n;
        this.packed = packed;
    }

    /** From a full n × n matrix; only its upper triangle is read. */
    public static CostMatrix ofFull(double[][] full) {
        CostMatrix c = new CostMatrix(full.length);
        for (int i = 0; i < full.length; i++) {
            for (int j = i + 1; j < full.length; j++) {
                c.set(i, j, full[i][j]);
            }
        }
        return c;
    }

    public int nodes() {
        return n;
    }

    private int index(int i, int j) {
        if (!(i >= 0 && i < j && j < n)) {
            throw new IndexOutOfBoundsException("cost matrix entry (" + i + ", " + j + ") outside the upper triangle");
        }
        // row i starts after rows 0..i−1, which hold (n−1) + (n−2) + … + (n−i) entries
        return i * (2 * n - i - 1) / 2 + (j - i - 1);
    }

    public double get(int i, int j) {
        return packed[index(i, j)];
    }

    public void set(int i, int j, double value) {
        packed[index(i, j)] = value;
    }

    /** The packed entries (row-major upper triangle), a copy. */
    public double[] packed() {
        return packed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostMatrix m && m.n == n && Arrays.equals(m.packed, packed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(packed) * 31 + n;
    }
}
