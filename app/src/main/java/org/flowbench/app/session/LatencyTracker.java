package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.LatencyRecorder;

/**
 * A lane's latency through the metrics package's recorder: the first (cold) batch apart, time per image. Images of
 * a batch finish together, so per-image percentiles over a few batches only repeat the same few values (p50 equal to
 * p95 at N = 32 with batch 16): percentiles are reported from {@value #PERCENTILES_FROM} warm batches on; below that
 * the mean per image and the slowest batch's per-image time. With the machine's load per core at the time
 * ({@code loadPerCore}): timings swing many-fold when other work shares the machine.
 */
final class LatencyTracker {
    static final int PERCENTILES_FROM = 20;

    /** How old a GPU memory reading may be (NVML is read at most twice a second for all lanes together). */
    private static final long DEVICE_READING_MS = 500;

    private final LatencyRecorder recorder = new LatencyRecorder();
    private volatile long peakDeviceBytes = -1;

    void add(int images, long nanos, long nfe) {
        recorder.recordBatch(images, nanos, nfe);
        // on a GPU: the process's device memory after each batch (NVML; lanes that run together share the process)
        long dev = org.flowbench.engine.device.GpuTelemetry.processMemoryBytes(DEVICE_READING_MS);
        if (dev > peakDeviceBytes) {
            peakDeviceBytes = dev;
        }
    }

    Map<String, Double> summary() {
        LatencyRecorder.Snapshot s = recorder.snapshot();
        Map<String, Double> m = new LinkedHashMap<>();
        if (s.images() == 0) {
            return m;
        }
        boolean warm = s.warmBatches() > 0;
        if (s.warmBatches() >= PERCENTILES_FROM) {
            m.put("p50Ms", s.imageP50Ms());
            m.put("p95Ms", s.imageP95Ms());
            m.put("p99Ms", s.imageP99Ms());
        } else if (warm) {
            m.put("maxMs", s.imageMaxMs());
        }
        m.put("meanMs", warm ? 1000.0 / s.imagesPerSecond() : s.coldPerImageMs());
        m.put("latencyBatches", (double) s.warmBatches());
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load >= 0) {
            m.put("loadPerCore", load / Runtime.getRuntime().availableProcessors());
        }
        m.put("coldBatchMs", s.coldBatchMs());
        if (warm) {
            m.put("imagesPerSecondWarm", s.imagesPerSecond());
        }
        if (s.peakRssBytes() > 0) {
            m.put("peakRssMiB", s.peakRssBytes() / 1048576.0);
        }
        if (peakDeviceBytes >= 0) {
            m.put("peakDeviceMiB", peakDeviceBytes / 1048576.0);
        }
        return m;
    }
}
