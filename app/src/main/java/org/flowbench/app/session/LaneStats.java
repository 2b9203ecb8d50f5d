package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of what one lane has measured so far. Absent measurements are NaN (shown as "—", saved as absent).
 *
 * @param images finished images
 * @param nfePerImage mean field evaluations per image
 * @param busySeconds wall time spent sampling this lane (excluding other lanes)
 * @param quality quality metrics by name (fid, fidLow, fidHigh, kid, modeTv, ...)
 * @param latency latency metrics by name (p50Ms, p95Ms, p99Ms, meanMs)
 * @param modeFractions fraction of samples nearest each mixture component (analytic models), else empty
 * @param previewOverheadMs time spent producing previews
 * @param costPerImage the cost ledger's counters (network, guided, backward, particles, ...) as means per image
 */
public record LaneStats(long images, double nfePerImage, double busySeconds, Map<String, Double> quality,
                        Map<String, Double> latency, double[] modeFractions, double previewOverheadMs,
                        Map<String, Double> costPerImage) {
    public static final LaneStats EMPTY = new LaneStats(0, Double.NaN, 0, Map.of(), Map.of(), new double[0], 0,
            Map.of());

    /** Metrics read from the clock or the machine's state: they differ between two runs of the same samples. */
    public static final java.util.Set<String> MEASURED_TIMES = java.util.Set.of("busySeconds", "imagesPerSecond",
            "imagesPerSecondWarm", "p50Ms", "p95Ms", "p99Ms", "maxMs", "meanMs", "coldBatchMs", "loadPerCore",
            "peakRssMiB", "peakDeviceMiB", "previewOverheadMs");

    /** The metric name of a cost counter: network evaluations are the NFE ({@code nfePerImage}), others {@code <counter>PerImage}. */
    public static String costMetric(String counter) {
        return counter.equals(org.flowbench.engine.run.CostLedger.NETWORK) ? "nfePerImage" : counter + "PerImage";
    }

    public double imagesPerSecond() {
        return busySeconds > 0 ? images / busySeconds : Double.NaN;
    }

    public double get(String name) {
        Double v = quality.get(name);
        if (v == null) {
            v = latency.get(name);
        }
        if (v == null) {
            for (Map.Entry<String, Double> c : costPerImage.entrySet()) {
                if (costMetric(c.getKey()).equals(name)) {
                    v = c.getValue();
                }
            }
        }
        return v == null ? Double.NaN : v;
    }

    /** Every finite figure by name, for project files, JSON and CSV. */
    public Map<String, Double> toMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "images", images);
        put(m, "nfePerImage", nfePerImage);
        costPerImage.forEach((k, v) -> put(m, costMetric(k), v));
        put(m, "busySeconds", busySeconds);
        put(m, "imagesPerSecond", imagesPerSecond());
        latency.forEach((k, v) -> put(m, k, v));
        quality.forEach((k, v) -> put(m, k, v));
        for (int j = 0; j < modeFractions.length; j++) {
            put(m, "mode" + j, modeFractions[j]);
        }
        put(m, "previewOverheadMs", previewOverheadMs);
        return m;
    }

    private static void put(Map<String, Double> m, String k, double v) {
        if (Double.isFinite(v)) {
            m.put(k, v);
        }
    }
}
