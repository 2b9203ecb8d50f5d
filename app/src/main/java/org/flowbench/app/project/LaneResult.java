package org.flowbench.app.project;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lane measured in its last run: status (done, stopped, failed), message, how many images finished, and the
 * metrics by name (nfePerImage, p50Ms, p95Ms, imagesPerSecond, fid, fidLow, fidHigh, modeTv, ...). Metrics that
 * were not measured are absent, never zero. {@code record} is the record of what ran (model and hash, sampler and
 * version, every resolved parameter, seed, device, cost, ...), as the engine made it; empty for a lane that never ran.
 */
public record LaneResult(String lane, String status, String message, long images, Map<String, Double> metrics,
                         Map<String, Object> record) {
    public LaneResult {
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        record = record == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(record));
    }

    public Double metric(String name) {
        return metrics.get(name);
    }
}
