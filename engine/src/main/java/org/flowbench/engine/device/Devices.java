package org.flowbench.engine.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.Versions;

/**
 * Device selection for DJL: "cpu", "gpu", "gpu:N" or "auto" (a usable GPU, else the CPU with one line saying why).
 * A process computes on one device at a time: {@link #use} sets it (the CLI's {@code --device}, the window's Device
 * box), and every network, feature extractor and training loop the engine opens afterwards creates its arrays there
 * ({@link #current}). Models report the device they actually run on.
 *
 * <p>Whether a GPU is usable depends on the build's flavour (the CPU build's PyTorch never sees one; ADR 0012), on the
 * driver (present, new enough for the CUDA runtime the CUDA build carries) and on free memory; {@link #choose} decides
 * from those {@link Facts}, so the rules are tested with made-up machines.
 */
public final class Devices {
    /** Below this much free memory a GPU is passed over by "auto": a built-in model and its batches need about this. */
    public static final long MIN_FREE_BYTES = 1L << 30;

    private static volatile Device current = Device.cpu();
    private static volatile String currentSpec = "cpu";
    private static volatile String fallback;
    private static volatile Facts cachedFacts;
    private static volatile GpuProbe.Report driverReport;

    static {
        prepareEngine();
    }

    private Devices() {}

    /**
     * In the CUDA build on a machine without an NVIDIA driver, tells DJL to load PyTorch's CUDA natives as a CPU
     * engine: as a CUDA engine DJL also loads libcaffe2_nvrtc, which needs the driver's libcuda.so.1, and the program
     * would not start at all. Runs before any engine is made (this class is initialised before every NDManager the
     * engine opens; Main calls it first thing too). The CPU build never probes.
     */
    public static void prepareEngine() {
        if ("cuda".equals(Versions.flavour()) && System.getProperty("PYTORCH_FLAVOR", "").startsWith("cu")
                && !driver().hasDriver()) {
            System.setProperty("PYTORCH_FLAVOR", "cpu");
        }
    }

    /** The driver as NVML reported it at the first question (a process's driver does not change; read once). */
    private static GpuProbe.Report driver() {
        GpuProbe.Report r = driverReport;
        if (r == null) {
            r = GpuProbe.probe();
            driverReport = r;
        }
        return r;
    }

    /**
     * What decides where models run: the build's flavour ("cpu" or "cuda") and the CUDA runtime it needs ("12.4",
     * "none"), the driver as NVML reports it, and how many GPUs the engine itself can use (with its error, if any).
     */
    public record Facts(String flavour, String cudaRuntime, GpuProbe.Report driver, int engineGpus, String engineProblem) {}

    /** A decision: the device, and for "auto" that did not get a GPU, the one line that says why (else null). */
    public record Choice(Device device, String fallback) {
        public String name() {
            return Devices.name(device);
        }

        public boolean isGpu() {
            return device.isGpu();
        }
    }

    /** A line of the window's Device box: the choice ("auto", "cpu", "gpu:0") and what it stands for. */
    public record Option(String spec, String label, boolean usable) {}

    /** Selects the device for models opened from now on; returns the choice. Refuses an unusable GPU with one error. */
    public static Choice use(String spec) {
        return use(spec, facts());
    }

    /** {@link #use} on the machine {@code f} describes (tests: a made-up machine). */
    static Choice use(String spec, Facts f) {
        Choice c = choose(spec, f);
        current = c.device();
        currentSpec = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        fallback = c.fallback();
        return c;
    }

    /** The choice {@link #use} was last given ("auto", "cpu", "gpu:0"). */
    public static String currentSpec() {
        return currentSpec;
    }

    /** Why the last "auto" runs on the CPU, or null. */
    public static String currentFallback() {
        return fallback;
    }

    /** The device new models and training loops use. */
    public static Device current() {
        return current;
    }

    /** "cpu" or "gpu:N" for {@link #current}. */
    public static String currentName() {
        return name(current);
    }

    /** Whether new models run on a GPU. */
    public static boolean currentIsGpu() {
        return current.isGpu();
    }

    /** "cpu" or "gpu:N": the name manifests, the CLI and the window use for a device. */
    public static String name(Device d) {
        return d.isGpu() ? "gpu:" + d.getDeviceId() : d.getDeviceType();
    }

    /** auto, cpu and every GPU the driver sees, labelled with free memory, unusable ones with the reason. */
    public static List<Option> options() {
        return options(facts());
    }

    /** {@link #options()} on the machine {@code f} describes. */
    static List<Option> options(Facts f) {
        List<Option> out = new ArrayList<>();
        Choice auto = choose("auto", f);
        out.add(new Option("auto", "auto: " + (auto.fallback() == null ? auto.name()
                : "cpu (" + auto.fallback().replaceFirst("^auto: using the CPU: ", "") + ")"), true));
        out.add(new Option("cpu", "cpu: " + Runtime.getRuntime().availableProcessors() + " cores", true));
        for (GpuProbe.Gpu g : f.driver().gpus()) {
            boolean usable = g.index() < f.engineGpus();
            out.add(new Option("gpu:" + g.index(), "gpu:" + g.index() + ": " + g.label()
                    + (usable ? "" : " (unusable: " + whyNoGpu(f) + ")"), usable));
        }
        for (int i = f.driver().gpus().size(); i < f.engineGpus(); i++) {
            out.add(new Option("gpu:" + i, "gpu:" + i, true));
        }
        return out;
    }

    /** The device {@code spec} stands for on the machine described by {@code f}; one clear error if it cannot be used. */
    public static Choice choose(String spec, Facts f) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            if (f.engineGpus() == 0) {
                return new Choice(Device.cpu(), "auto: using the CPU: " + whyNoGpu(f));
            }
            List<String> full = new ArrayList<>();
            for (int i = 0; i < f.engineGpus(); i++) {
                GpuProbe.Gpu g = i < f.driver().gpus().size() ? f.driver().gpus().get(i) : null;
                if (g == null || g.memoryFreeBytes() >= MIN_FREE_BYTES) {
                    return new Choice(Device.gpu(i), null);
                }
                full.add(String.format(Locale.ROOT, "gpu:%d has %.2f GiB free", i, g.memoryFreeBytes() / 1073741824.0));
            }
            return new Choice(Device.cpu(), "auto: using the CPU: out of GPU memory (" + String.join(", ", full)
                    + ", at least " + (MIN_FREE_BYTES >> 30) + " GiB needed)");
        }
        if (s.equals("cpu")) {
            return new Choice(Device.cpu(), null);
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
            if (index >= f.engineGpus()) {
                throw new FlowbenchException("device '" + spec + "' is not available: " + (f.engineGpus() == 0
                        ? "no GPU is usable (" + whyNoGpu(f) + ")" : "the engine sees " + f.engineGpus() + " GPU(s)"),
                        "use --device cpu or auto");
            }
            return new Choice(Device.gpu(index), null);
        }
        throw new FlowbenchException("unknown device '" + spec + "'", "use auto, cpu, gpu or gpu:N");
    }

    /**
     * Whether "auto" ending on the CPU is news worth a line on every command: in the CUDA build (a GPU was expected),
     * or where the driver sees a GPU this build cannot use. The CPU build on a machine without an NVIDIA GPU says
     * nothing ({@code flowbench devices} still says why).
     */
    public static boolean fallbackWorthSaying(Facts f) {
        return "cuda".equals(f.flavour()) || f.driver().hasGpu();
    }

    /** {@link #fallbackWorthSaying(Facts)} on this machine. */
    public static boolean fallbackWorthSaying() {
        return fallbackWorthSaying(facts());
    }

    /** Why the engine has no GPU on the machine described by {@code f}, in a few words a user can act on. */
    public static String whyNoGpu(Facts f) {
        GpuProbe.Report d = f.driver();
        if (!d.hasDriver()) {
            return d.status();
        }
        if (!d.hasGpu()) {
            return "the NVIDIA driver sees no GPU";
        }
        if (!"cuda".equals(f.flavour())) {
            return "this is the CPU build; install the CUDA build (flowbench-cuda) to use " + d.gpus().get(0).name();
        }
        // CUDA's minor-version compatibility: a runtime 12.x runs on any driver for CUDA 12.0 or newer (R525+)
        int runtime = runtimeVersion(f.cudaRuntime());
        int need = runtime / 1000 * 1000;
        if (runtime > 0 && d.cudaDriverVersion() > 0 && d.cudaDriverVersion() < need) {
            return "the driver " + d.driverVersion() + " supports CUDA " + Nvml.cudaVersionName(d.cudaDriverVersion())
                    + ", this build's CUDA " + f.cudaRuntime() + " runtime needs a driver for CUDA "
                    + Nvml.cudaVersionName(need) + " or newer: update the driver";
        }
        return "the engine cannot use the GPU" + (f.engineProblem() == null ? "" : ": " + f.engineProblem());
    }

    /** "12.4" as 12040; -1 for anything else ("none"). */
    static int runtimeVersion(String v) {
        try {
            String[] p = v.split("\\.");
            return Integer.parseInt(p[0]) * 1000 + (p.length > 1 ? Integer.parseInt(p[1]) * 10 : 0);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** This machine's facts (probed once per process: the driver's NVML, and the engine in the CUDA build). */
    public static Facts facts() {
        Facts f = cachedFacts;
        if (f == null) {
            String flavour = Versions.flavour();
            GpuProbe.Report driver = driver();
            int gpus = 0;
            String problem = null;
            // The CPU build's PyTorch never sees a GPU; asking would load its natives for nothing.
            if ("cuda".equals(flavour)) {
                try {
                    gpus = Engine.getInstance().getGpuCount();
                } catch (RuntimeException | LinkageError e) {
                    problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            f = new Facts(flavour, Versions.cudaRuntime(), driver, gpus, problem);
            cachedFacts = f;
        }
        return f;
    }

    public static Device select(String spec) {
        return choose(spec, facts()).device();
    }

    /** GPUs usable by the engine; 0 in the CPU build or when the engine cannot load. */
    public static int gpuCount() {
        return facts().engineGpus();
    }

    /**
     * What a manifest records about the device a model ran on: for a GPU its name, memory, the driver's version and
     * CUDA version and the build's CUDA runtime; for the CPU its cores. Always the build's flavour.
     */
    public static Map<String, Object> describe(String deviceName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flavour", Versions.flavour());
        if (deviceName != null && deviceName.startsWith("gpu:")) {
            Facts f = facts();
            int i = Integer.parseInt(deviceName.substring(4));
            if (i < f.driver().gpus().size()) {
                GpuProbe.Gpu g = f.driver().gpus().get(i);
                m.put("name", g.name());
                m.put("memoryTotalBytes", g.memoryTotalBytes());
            }
            m.put("driver", f.driver().driverVersion());
            m.put("cudaDriver", Nvml.cudaVersionName(f.driver().cudaDriverVersion()));
            m.put("cudaRuntime", f.cudaRuntime());
        } else {
            m.put("cores", Runtime.getRuntime().availableProcessors());
        }
        return m;
    }
}
