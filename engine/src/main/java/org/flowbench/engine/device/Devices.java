package org.flowbench.engine.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.flowbench.engine.FlowbenchException;

/**
 * Device selection for DJL: "cpu", "gpu", "gpu:N" or "auto" (a GPU when DJL's engine can use one, else the CPU).
 * A process computes on one device at a time: {@link #use} sets it (the CLI's {@code --device}, the window's Device
 * box), and every network, feature extractor and training loop the engine opens afterwards creates its arrays there
 * ({@link #current}). Models report the device they actually run on.
 */
public final class Devices {
    private static volatile Device current = Device.cpu();
    private static volatile String currentSpec = "cpu";

    private Devices() {}

    /** Selects the device for models opened from now on; returns it. Refuses an unusable GPU with one clear error. */
    public static Device use(String spec) {
        Device d = select(spec);
        current = d;
        currentSpec = spec == null ? "auto" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        return d;
    }

    /** The choice {@link #use} was last given ("auto", "cpu", "gpu:0"). */
    public static String currentSpec() {
        return currentSpec;
    }

    /** The device new models and training loops use. */
    public static Device current() {
        return current;
    }

    /** "cpu" or "gpu:N": the name manifests, the CLI and the window use for a device. */
    public static String name(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : d.getDeviceType();
    }

    /** The choices this machine offers: auto, cpu, and each GPU the engine can use. */
    public static java.util.List<String> available() {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of("auto", "cpu"));
        for (int i = 0; i < gpuCount(); i++) {
            out.add("gpu:" + i);
        }
        return out;
    }

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
            int index;
            try {
                index = s.equals("gpu") ? 0 : s.charAt(3) == ':' ? Integer.parseInt(s.substring(4)) : -1;
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0) {
                throw new FlowbenchException("unknown device '" + spec + "'", "use auto, cpu, gpu or gpu:N");
            }
            if (index >= gpus) {
                throw new FlowbenchException("device '" + spec + "' is not available: " + (gpus == 0
                        ? "no GPU is usable by this build's engine (PyTorch CPU)" : "the engine sees " + gpus + " GPU(s)"),
                        "use --device cpu or auto");
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
