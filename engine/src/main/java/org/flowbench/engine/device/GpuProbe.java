package org.flowbench.engine.device;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.cuda.nvml.nvmlUtilization_t;
import org.bytedeco.javacpp.IntPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists NVIDIA GPUs with their memory and utilisation through NVML (JavaCPP's CUDA preset). NVML ships with the
 * driver, so this works without a CUDA toolkit; on a machine without a driver loading fails with a linkage error,
 * which is caught: the probe then reports "no GPU" and never crashes.
 */
public final class GpuProbe {
    private static final Logger LOG = LoggerFactory.getLogger(GpuProbe.class);

    /** One GPU as NVML sees it. */
    public record Gpu(int index, String name, long memoryTotalBytes, long memoryUsedBytes, int utilizationPercent) {}

    /** The probe's answer: the GPUs, or why there are none. */
    public record Report(List<Gpu> gpus, String status) {
        public boolean hasGpu() {
            return !gpus.isEmpty();
        }

        public String summary() {
            if (gpus.isEmpty()) {
                return "no GPU (" + status + ")";
            }
            StringBuilder s = new StringBuilder();
            for (Gpu g : gpus) {
                s.append(s.length() == 0 ? "" : "; ").append("GPU ").append(g.index()).append(": ").append(g.name())
                        .append(String.format(", %.1f/%.1f GiB, %d%%", g.memoryUsedBytes() / 1073741824.0,
                                g.memoryTotalBytes() / 1073741824.0, g.utilizationPercent()));
            }
            return s.toString();
        }
    }

    private GpuProbe() {}

    public static Report probe() {
        try {
            int rc = nvml.nvmlInit_v2();
            if (rc != nvml.NVML_SUCCESS) {
                return new Report(List.of(), "NVML init failed with code " + rc);
            }
            try {
                IntPointer count = new IntPointer(1);
                nvml.nvmlDeviceGetCount_v2(count);
                List<Gpu> out = new ArrayList<>();
                for (int i = 0; i < count.get(); i++) {
                    nvmlDevice_st dev = new nvmlDevice_st();
                    if (nvml.nvmlDeviceGetHandleByIndex_v2(i, dev) != nvml.NVML_SUCCESS) {
                        continue;
                    }
                    byte[] name = new byte[96];
                    nvml.nvmlDeviceGetName(dev, name, name.length);
                    nvmlMemory_t mem = new nvmlMemory_t();
                    nvml.nvmlDeviceGetMemoryInfo(dev, mem);
                    nvmlUtilization_t util = new nvmlUtilization_t();
                    nvml.nvmlDeviceGetUtilizationRates(dev, util);
                    int len = 0;
                    while (len < name.length && name[len] != 0) {
                        len++;
                    }
                    out.add(new Gpu(i, new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII),
                            mem.total(), mem.used(), util.gpu()));
                }
                return new Report(List.copyOf(out), out.isEmpty() ? "driver found, no devices" : "ok");
            } finally {
                nvml.nvmlShutdown();
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            LOG.debug("NVML not available", e);
            return new Report(List.of(), "no NVIDIA driver");
        } catch (RuntimeException e) {
            LOG.debug("NVML probe failed", e);
            return new Report(List.of(), "probe failed: " + e.getMessage());
        }
    }
}
