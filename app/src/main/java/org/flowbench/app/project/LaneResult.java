package org.flowbench.app.project;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lane measured in its last run: status (done, stopped, failed), message, how many images finished, and the
 * metrics by name (nfePerImage, p50Ms, p95Ms, imagesPerSecond, fid, fidLow, fidHigh, modeTv, ...). Metrics that
 * were not measured are absent, never zero. {@code record} is the record of what ran (model and hash, sampler and
 * version, every resolved parameter, seed, device, cost, ...), as the engine made it; empty for a lane that never ran.
 */
public record LaneResult(String lane, String status, String message, long images, Map<String, Double> metrics,
                         Map<String, Object> record, List<Map<String, Double>> history) {
    /** The quality metrics a history point keeps (with {@code images}). */
    public static final List<String> HISTORY_METRICS = List.of("kid", "kidLow", "kidHigh", "fid", "fidLow", "fidHigh",
            "modeTv");

    public LaneResult {
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        record = record == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(record));
        history = history == null ? List.of() : history.stream()
                .map(h -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(h))).toList();
    }

    public LaneResult(String lane, String status, String message, long images, Map<String, Double> metrics,
            Map<String, Object> record) {
        this(lane, status, message, images, metrics, record, List.of());
    }

    /**
     * This result with its quality-vs-N history: points of {@code images} and the {@link #HISTORY_METRICS} measured
     * at that many images, saved with the project so the chart comes back when it is opened.
     */
    public LaneResult withHistory(List<Map<String, Double>> points) {
        return new LaneResult(lane, status, message, images, metrics, record, points);
    }

    public Double metric(String name) {
        return metrics.get(name);
    }
}
