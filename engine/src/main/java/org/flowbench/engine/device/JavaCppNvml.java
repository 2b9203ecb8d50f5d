package org.flowbench.engine.device;

import java.nio.charset.StandardCharsets;
import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.cuda.nvml.nvmlProcessInfo_v2_t;
import org.bytedeco.cuda.nvml.nvmlUtilization_t;

/** {@link Nvml} on the driver's libnvidia-ml through JavaCPP. Not thread-safe; callers hold the probe's lock. */
final class JavaCppNvml implements Nvml {
    static final JavaCppNvml INSTANCE = new JavaCppNvml();
    private static final int MAX_PROCESSES = 256;

    private JavaCppNvml() {}

    @Override
    public int init() {
        return nvml.nvmlInit_v2();
    }

    @Override
    public void shutdown() {
        nvml.nvmlShutdown();
    }

    @Override
    public String driverVersion() {
        byte[] b = new byte[96];
        return nvml.nvmlSystemGetDriverVersion(b, b.length) == nvml.NVML_SUCCESS ? text(b) : null;
    }

    @Override
    public int cudaDriverVersion() {
        int[] v = new int[1];
        return nvml.nvmlSystemGetCudaDriverVersion_v2(v) == nvml.NVML_SUCCESS ? v[0] : -1;
    }

    @Override
    public int deviceCount() {
        int[] n = new int[1];
        return nvml.nvmlDeviceGetCount_v2(n) == nvml.NVML_SUCCESS ? n[0] : 0;
    }

    private static nvmlDevice_st handle(int i) {
        nvmlDevice_st dev = new nvmlDevice_st();
        return nvml.nvmlDeviceGetHandleByIndex_v2(i, dev) == nvml.NVML_SUCCESS ? dev : null;
    }

    @Override
    public String name(int device) {
        nvmlDevice_st dev = handle(device);
        byte[] b = new byte[96];
        return dev != null && nvml.nvmlDeviceGetName(dev, b, b.length) == nvml.NVML_SUCCESS ? text(b) : null;
    }

    @Override
    public long[] memory(int device) {
        nvmlDevice_st dev = handle(device);
        if (dev == null) {
            return null;
        }
        nvmlMemory_t m = new nvmlMemory_t();
        return nvml.nvmlDeviceGetMemoryInfo(dev, m) == nvml.NVML_SUCCESS ? new long[] {m.total(), m.used(), m._free()} : null;
    }

    @Override
    public int utilizationPercent(int device) {
        nvmlDevice_st dev = handle(device);
        nvmlUtilization_t u = new nvmlUtilization_t();
        return dev != null && nvml.nvmlDeviceGetUtilizationRates(dev, u) == nvml.NVML_SUCCESS ? u.gpu() : -1;
    }

    @Override
    public int powerMilliwatts(int device) {
        nvmlDevice_st dev = handle(device);
        int[] p = new int[1];
        return dev != null && nvml.nvmlDeviceGetPowerUsage(dev, p) == nvml.NVML_SUCCESS ? p[0] : -1;
    }

    @Override
    public int temperatureCelsius(int device) {
        nvmlDevice_st dev = handle(device);
        int[] t = new int[1];
        return dev != null && nvml.nvmlDeviceGetTemperature(dev, nvml.NVML_TEMPERATURE_GPU, t) == nvml.NVML_SUCCESS
                ? t[0] : -1;
    }

    @Override
    public long processMemoryBytes(int device, long pid) {
        nvmlDevice_st dev = handle(device);
        if (dev == null) {
            return -1;
        }
        try (nvmlProcessInfo_v2_t infos = new nvmlProcessInfo_v2_t(MAX_PROCESSES)) {
            int[] count = {MAX_PROCESSES};
            if (nvml.nvmlDeviceGetComputeRunningProcesses_v3(dev, count, infos) != nvml.NVML_SUCCESS) {
                return -1;
            }
            long mine = 0;
            for (int i = 0; i < count[0]; i++) {
                nvmlProcessInfo_v2_t p = infos.getPointer(i);
                if (p.pid() == pid) {
                    mine += Math.max(0, p.usedGpuMemory());
                }
            }
            return mine;
        }
    }

    private static String text(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.US_ASCII);
    }
}
