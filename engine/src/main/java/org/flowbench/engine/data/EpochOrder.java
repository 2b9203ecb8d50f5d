package org.flowbench.engine.data;

import java.util.SplittableRandom;

/**
 * Epoch-based data order as a pure function of (seed, step): example j of (1-based) step s is position
 * (s−1)·batch + j of the concatenation of per-epoch permutations, epoch e shuffled by a generator seeded from
 * (seed, e). Resuming at any step therefore continues the same order.
 */
public final class EpochOrder {
    private final int size;
    private final int batch;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] perm;

    public EpochOrder(int size, int batch, long seed) {
        this.size = size;
        this.batch = batch;
        this.seed = seed;
    }

    public synchronized int[] indices(long step) {
        int[] out = new int[batch];
        long pos = (step - 1) * batch;
        for (int j = 0; j < batch; j++) {
            long p = pos + j;
            long epoch = p / size;
            if (epoch != cachedEpoch) {
                perm = permutation(epoch);
                cachedEpoch = epoch;
            }
            out[j] = perm[(int) (p % size)];
        }
        return out;
    }

    public long epochOf(long step) {
        return (step - 1) * batch / size;
    }

    int[] permutation(long epoch) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xD1B54A32D192ED03L + 7);
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int k = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[k];
            p[k] = tmp;
        }
        return p;
    }
}
