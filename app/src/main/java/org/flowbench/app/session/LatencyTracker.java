package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.LatencyRecorder;

/** A lane's latency through the metrics package's recorder: the first (cold) batch apart, percentiles per image. */
final class LatencyTracker {
    private final LatencyRecorder recorder = new LatencyRecorder();

    void add(int images, long nanos, long nfe) {
        recorder.recordBatch(images, nanos, nfe);
    }

    Map<String, Double> summary() {
        LatencyRecorder.Snapshot s = recorder.snapshot();
        Map<String, Double> m = new LinkedHashMap<>();
        if (s.images() == 0) {
            return m;
        }
        boolean warm = s.warmBatches() > 0;
        m.put("p50Ms", warm ? s.imageP50Ms() : s.coldPerImageMs());
        m.put("p95Ms", warm ? s.imageP95Ms() : s.coldPerImageMs());
        m.put("p99Ms", warm ? s.imageP99Ms() : s.coldPerImageMs());
        m.put("meanMs", warm ? 1000.0 / s.imagesPerSecond() : s.coldPerImageMs());
        m.put("coldBatchMs", s.coldBatchMs());
        if (warm) {
            m.put("imagesPerSecondWarm", s.imagesPerSecond());
        }
        if (s.peakRssBytes() > 0) {
            m.put("peakRssMiB", s.peakRssBytes() / 1048576.0);
        }
        return m;
    }
}
