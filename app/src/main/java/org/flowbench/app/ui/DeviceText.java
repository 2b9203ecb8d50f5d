package org.flowbench.app.ui;

import org.flowbench.engine.device.GpuProbe;

/** Device figures as the window shows them (plain text, no JavaFX: tested without a toolkit). */
final class DeviceText {
    private DeviceText() {}

    /** "NVIDIA H100 · 12.3 / 79.6 GiB (this process 2.1 GiB) · 87 % busy · 310 W · 61 °C". */
    static String gpuLine(GpuProbe.Gpu d) {
        double gib = 1024.0 * 1024 * 1024;
        StringBuilder b = new StringBuilder(d.name()).append(String.format(java.util.Locale.ROOT, " · %.1f / %.1f GiB",
                d.memoryUsedBytes() / gib, d.memoryTotalBytes() / gib));
        if (d.processMemoryBytes() > 0) {
            b.append(String.format(java.util.Locale.ROOT, " (this process %.2f GiB)", d.processMemoryBytes() / gib));
        }
        if (d.utilizationPercent() >= 0) {
            b.append(" · ").append(d.utilizationPercent()).append(" % busy");
        }
        if (!Double.isNaN(d.powerWatts())) {
            b.append(String.format(java.util.Locale.ROOT, " · %.0f W", d.powerWatts()));
        }
        if (d.temperatureCelsius() >= 0) {
            b.append(" · ").append(d.temperatureCelsius()).append(" °C");
        }
        return b.toString();
    }

    /** The lane's memory cost for the latency tooltip: the process's peak RSS and, on a GPU, its device memory. */
    static String memoryLine(double rssMiB, double deviceMiB) {
        String s = Double.isFinite(rssMiB) ? String.format(java.util.Locale.ROOT, "%npeak memory %.0f MiB (process)",
                rssMiB) : "";
        return s + (Double.isFinite(deviceMiB) ? String.format(java.util.Locale.ROOT,
                "%npeak GPU memory %.0f MiB (this process, NVML, after each batch)", deviceMiB) : "");
    }
}
