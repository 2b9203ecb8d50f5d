package org.flowbench.engine.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each image of a run cost, as named counters: network evaluations in single states ({@link #NETWORK}, the
 * NFE), evaluations that served classifier-free guidance ({@link #GUIDED}), backward passes ({@link #BACKWARD}),
 * diffusion-head evaluations ({@link #HEAD}), particles carried ({@link #PARTICLES}). Wall time per image is the
 * batch's latency. Counters are filled by the sampler loop and the solver kernels, never estimated.
 */
public final class CostLedger {
    /** Network evaluations, one per state evaluated (a CFG call on n states costs 2n). */
    public static final String NETWORK = "network";
    /** Guided evaluations: one per state evaluated through classifier-free guidance (2 network evaluations each). */
    public static final String GUIDED = "guided";
    /** Backward passes through the network, one per state. */
    public static final String BACKWARD = "backward";
    /** Evaluations of a reward model, one per image and reward (its backward passes follow the network's). */
    public static final String REWARD = "reward";
    /** Evaluations of an autoregressive model's backbone, one per image and call (two under guidance). */
    public static final String BACKBONE = "backbone";
    /** Evaluations of a per-token diffusion head, one per token. */
    public static final String HEAD = "head";
    /** Particles carried for the image (SMC). */
    public static final String PARTICLES = "particles";

    private final int count;
    private final Map<String, long[]> counters = new LinkedHashMap<>();

    public CostLedger(int count) {
        this.count = count;
        counters.put(NETWORK, new long[count]);
    }

    public int count() {
        return count;
    }

    /** Adds {@code amount} to image {@code i}'s counter. */
    public void add(String counter, int i, long amount) {
        counters.computeIfAbsent(counter, k -> new long[count])[i] += amount;
    }

    /** Adds {@code amount} to every image's counter. */
    public void addAll(String counter, long amount) {
        long[] c = counters.computeIfAbsent(counter, k -> new long[count]);
        for (int i = 0; i < count; i++) {
            c[i] += amount;
        }
    }

    /** Image i's counter (a copy of all of them, zeros for a counter never charged). */
    public long[] counts(String counter) {
        long[] c = counters.get(counter);
        return c == null ? new long[count] : c.clone();
    }

    public long total(String counter) {
        long s = 0;
        for (long v : counters.getOrDefault(counter, new long[0])) {
            s += v;
        }
        return s;
    }

    /** The counters charged so far, network first. */
    public Set<String> counters() {
        return Collections.unmodifiableSet(counters.keySet());
    }

    /** Totals by counter. */
    public Map<String, Long> totals() {
        Map<String, Long> t = new LinkedHashMap<>();
        for (String c : counters.keySet()) {
            t.put(c, total(c));
        }
        return t;
    }

    /** Per-image means by counter, for manifests. */
    public Map<String, Double> perImage() {
        Map<String, Double> t = new LinkedHashMap<>();
        for (String c : counters.keySet()) {
            t.put(c, count == 0 ? 0.0 : total(c) / (double) count);
        }
        return t;
    }

    /** The ledgers of batches that follow each other in image order, joined. */
    public static CostLedger concat(List<CostLedger> parts) {
        int n = 0;
        for (CostLedger p : parts) {
            n += p.count;
        }
        CostLedger out = new CostLedger(n);
        int at = 0;
        for (CostLedger p : parts) {
            for (Map.Entry<String, long[]> e : p.counters.entrySet()) {
                long[] dst = out.counters.computeIfAbsent(e.getKey(), k -> new long[out.count]);
                System.arraycopy(e.getValue(), 0, dst, at, p.count);
            }
            at += p.count;
        }
        return out;
    }

    /** Images {@code from .. from + n - 1} of this ledger. */
    public CostLedger slice(int from, int n) {
        CostLedger out = new CostLedger(n);
        for (Map.Entry<String, long[]> e : counters.entrySet()) {
            out.counters.put(e.getKey(), java.util.Arrays.copyOfRange(e.getValue(), from, from + n));
        }
        return out;
    }
}
