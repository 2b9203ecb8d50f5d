package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;

/** Per-image latencies of one lane (milliseconds); summaries come from the metrics package's recorder. */
final class LatencyTracker {
    private double sum;
    private long count;

    synchronized void add(double[] latencyMs) {
        for (double v : latencyMs) {
            sum += v;
            count++;
        }
    }

    synchronized Map<String, Double> summary() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (count > 0) {
            m.put("meanMs", sum / count);
        }
        return m;
    }
}
