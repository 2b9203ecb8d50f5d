package org.flowbench.engine.device;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists NVIDIA GPUs with their memory, utilisation, power and temperature, and the driver's versions, through NVML
 * ({@link Nvml}). NVML ships with the driver, so this works without a CUDA toolkit; on a machine without a driver
 * loading fails with a linkage error, which is caught: the probe then reports "no GPU" and never crashes.
 */
public final class GpuProbe {
    private static final Logger LOG = LoggerFactory.getLogger(GpuProbe.class);
    /** Status of a probe that found no driver. */
    public static final String NO_DRIVER = "no NVIDIA driver";

    /**
     * One GPU as NVML sees it. Unknown figures are -1 ({@code powerWatts} NaN); {@code processMemoryBytes} is what
     * this process holds on it.
     */
    public record Gpu(int index, String name, long memoryTotalBytes, long memoryUsedBytes, long memoryFreeBytes,
            int utilizationPercent, double powerWatts, int temperatureCelsius, long processMemoryBytes) {
        /** "NVIDIA H100, 75.2 GiB free of 79.6 GiB". */
        public String label() {
            return name + String.format(java.util.Locale.ROOT, ", %.1f GiB free of %.1f GiB", memoryFreeBytes / GIB,
                    memoryTotalBytes / GIB);
        }
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The probe's answer: the GPUs, or why there are none, and the driver's versions (null / -1 without driver). */
    public record Report(List<Gpu> gpus, String status, String driverVersion, int cudaDriverVersion) {
        public boolean hasGpu() {
            return !gpus.isEmpty();
        }

        public boolean hasDriver() {
            return driverVersion != null;
        }

        public String summary() {
            if (gpus.isEmpty()) {
                return "no GPU (" + status + ")";
            }
            StringBuilder s = new StringBuilder();
            for (Gpu g : gpus) {
                s.append(s.length() == 0 ? "" : "; ").append("GPU ").append(g.index()).append(": ").append(g.name())
                        .append(String.format(java.util.Locale.ROOT, ", %.1f/%.1f GiB, %d%%",
                                g.memoryUsedBytes() / GIB, g.memoryTotalBytes() / GIB, g.utilizationPercent()));
                if (!Double.isNaN(g.powerWatts())) {
                    s.append(String.format(java.util.Locale.ROOT, ", %.0f W", g.powerWatts()));
                }
                if (g.temperatureCelsius() >= 0) {
                    s.append(", ").append(g.temperatureCelsius()).append(" °C");
                }
            }
            return s.append(" (driver ").append(driverVersion).append(", CUDA ")
                    .append(Nvml.cudaVersionName(cudaDriverVersion)).append(')').toString();
        }
    }

    private GpuProbe() {}

    /** The driver's NVML, read now. */
    public static Report probe() {
        return probe(Nvml.system());
    }

    /** Reads every device through {@code nvml}; never throws. */
    public static synchronized Report probe(Nvml nvml) {
        try {
            int rc = nvml.init();
            if (rc != 0) {
                return new Report(List.of(), "NVML init failed with code " + rc, null, -1);
            }
            try {
                long pid = ProcessHandle.current().pid();
                List<Gpu> out = new ArrayList<>();
                for (int i = 0; i < nvml.deviceCount(); i++) {
                    long[] mem = nvml.memory(i);
                    if (mem == null) {
                        continue;
                    }
                    int mw = nvml.powerMilliwatts(i);
                    String name = nvml.name(i);
                    out.add(new Gpu(i, name == null ? "GPU " + i : name, mem[0], mem[1], mem[2],
                            nvml.utilizationPercent(i), mw < 0 ? Double.NaN : mw / 1000.0, nvml.temperatureCelsius(i),
                            nvml.processMemoryBytes(i, pid)));
                }
                String driver = nvml.driverVersion();
                return new Report(List.copyOf(out), out.isEmpty() ? "driver found, no devices" : "ok",
                        driver == null ? "unknown" : driver, nvml.cudaDriverVersion());
            } finally {
                nvml.shutdown();
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            LOG.debug("NVML not available", e);
            return new Report(List.of(), NO_DRIVER, null, -1);
        } catch (RuntimeException e) {
            LOG.debug("NVML probe failed", e);
            return new Report(List.of(), "probe failed: " + e.getMessage(), null, -1);
        }
    }
}
