package org.flowbench.engine.device;

/**
 * The few NVML queries Flowbench makes, behind an interface so that the probe, the device chooser and the telemetry
 * can be tested without a GPU (a fake NVML). {@link #system()} is the driver's NVML through JavaCPP's CUDA preset.
 * Every query returns -1 (or null) for "not supported by this device or driver" instead of failing: a GPU that does
 * not report its power still reports its memory.
 */
public interface Nvml {
    /** Opens NVML; {@code 0} on success, NVML's error code otherwise. Throws {@link LinkageError} without a driver. */
    int init();

    void shutdown();

    /** The driver's version, e.g. "550.54.15", or null. */
    String driverVersion();

    /** The newest CUDA version the driver supports, as 1000·major + 10·minor (12040 for 12.4), or -1. */
    int cudaDriverVersion();

    int deviceCount();

    String name(int device);

    /** {total, used, free} bytes, or null. */
    long[] memory(int device);

    /** GPU utilisation over NVML's last sample period, percent, or -1. */
    int utilizationPercent(int device);

    int powerMilliwatts(int device);

    int temperatureCelsius(int device);

    /** Device memory that the process {@code pid} holds on {@code device} (compute contexts), bytes, or -1. */
    long processMemoryBytes(int device, long pid);

    /** The driver's NVML (JavaCPP's CUDA preset). */
    static Nvml system() {
        return JavaCppNvml.INSTANCE;
    }

    /** "12.4" for 12040. */
    static String cudaVersionName(int v) {
        return v <= 0 ? "unknown" : (v / 1000) + "." + (v % 1000) / 10;
    }
}
