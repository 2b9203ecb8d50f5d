package org.flowbench.engine.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.flowbench.engine.FlowbenchException;

/** Device selection for DJL: "cpu", "gpu", "gpu:N" or "auto" (a GPU when DJL's engine can use one, else the CPU). */
public final class Devices {
    private Devices() {}

    public static Device select(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = gpuCount();
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.startsWith("gpu")) {
            int index = s.length() > 4 && s.charAt(3) == ':' ? Integer.parseInt(s.substring(4)) : 0;
            if (index >= gpus) {
                throw new FlowbenchException("device '" + spec + "' is not available: the engine sees " + gpus + " GPU(s)",
                        "use --device cpu, or install the CUDA build of the engine (docs/installers.md)");
            }
            return Device.gpu(index);
        }
        throw new FlowbenchException("unknown device '" + spec + "'", "use auto, cpu, gpu or gpu:N");
    }

    /** GPUs usable by DJL's default engine; 0 when the engine is CPU-only or cannot load. */
    public static int gpuCount() {
        try {
            return Engine.getInstance().getGpuCount();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
    }
}
