package org.flowbench.engine.run;

import java.util.Locale;
import org.flowbench.engine.FlowbenchException;

/**
 * The memory a run's samples need, checked before anything is computed: samples are kept as doubles, n × dim × 8
 * bytes per copy, and a run that cannot hold them would fail with an out-of-memory error after minutes of work.
 */
public final class MemoryBudget {
    /** The share of the JVM's maximum heap the samples may take (the rest is for models, buffers and the UI). */
    static final double SHARE = 0.6;

    private MemoryBudget() {}

    /** Refuses, in one line with the estimate and the limit, when {@code copies} copies of n samples do not fit. */
    public static void requireSamples(long n, int dim, int copies, String what) {
        if (n < 1) {
            throw new FlowbenchException(what + ": the number of samples must be at least 1, got " + n);
        }
        double need = (double) n * dim * 8 * copies;
        double limit = Runtime.getRuntime().maxMemory() * SHARE;
        if (n * (long) dim > Integer.MAX_VALUE || need > limit) {
            throw new FlowbenchException(String.format(Locale.ROOT, "%s: %d samples of %d values need about %.1f GiB; "
                    + "this process may use %.1f GiB for samples (%.0f %% of its -Xmx %.1f GiB)", what, n, dim,
                    need / (1L << 30), limit / (1L << 30), SHARE * 100, Runtime.getRuntime().maxMemory() / (double) (1L << 30)),
                    "ask for fewer samples, or run several smaller runs with other seeds");
        }
    }
}
