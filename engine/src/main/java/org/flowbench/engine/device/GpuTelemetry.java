package org.flowbench.engine.device;

/**
 * Live GPU readings for the window's Device panel and each lane's cost: NVML sampled at most once per
 * {@code maxAgeMillis}, so that lanes finishing batches together and the panel's timer share one reading. Reads go
 * through {@link Nvml} (a fake one in tests).
 */
public final class GpuTelemetry {
    private static volatile Nvml nvml = Nvml.system();
    private static volatile GpuProbe.Report last;
    private static volatile long lastNanos;

    private GpuTelemetry() {}

    /** A reading at most {@code maxAgeMillis} old. Never throws; without a driver it says why there is no GPU. */
    public static synchronized GpuProbe.Report sample(long maxAgeMillis) {
        long now = System.nanoTime();
        if (last == null || now - lastNanos > maxAgeMillis * 1_000_000L) {
            last = GpuProbe.probe(nvml);
            lastNanos = now;
        }
        return last;
    }

    /**
     * Device memory this process holds on the GPU that models run on now, bytes; -1 while they run on the CPU or when
     * the driver does not say.
     */
    public static long processMemoryBytes(long maxAgeMillis) {
        if (!Devices.currentIsGpu()) {
            return -1;
        }
        int i = Integer.parseInt(Devices.currentName().substring(4));
        GpuProbe.Report r = sample(maxAgeMillis);
        return i < r.gpus().size() ? r.gpus().get(i).processMemoryBytes() : -1;
    }

    /** Reads through {@code n} from now on (tests: a fake NVML); returns the previous one. */
    public static synchronized Nvml use(Nvml n) {
        Nvml was = nvml;
        nvml = n;
        last = null;
        return was;
    }
}
