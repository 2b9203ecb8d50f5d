package org.flowbench.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.Versions;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.device.GpuProbe;
import org.flowbench.engine.device.Nvml;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flowbench devices}: the CPU, the GPUs the driver sees, which of them this build can use, and why not. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Show the CPU and GPUs Flowbench can see, and why a GPU is unusable.")
public final class DevicesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--json", description = "print as JSON")
    boolean json;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        Devices.Facts f = Devices.facts();
        GpuProbe.Report g = f.driver();
        Devices.Choice auto = Devices.choose("auto", f);
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("flavour", f.flavour());
            j.put("cudaRuntime", f.cudaRuntime());
            List<Map<String, Object>> devices = new ArrayList<>();
            Map<String, Object> cpu = new LinkedHashMap<>();
            cpu.put("device", "cpu");
            cpu.put("usable", true);
            cpu.put("cores", rt.availableProcessors());
            cpu.put("heapMaxBytes", rt.maxMemory());
            devices.add(cpu);
            for (GpuProbe.Gpu d : g.gpus()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", "gpu:" + d.index());
                boolean usable = d.index() < f.engineGpus();
                m.put("usable", usable);
                if (!usable) {
                    m.put("why", Devices.whyNoGpu(f));
                }
                m.put("gpu", d);
                devices.add(m);
            }
            j.put("devices", devices);
            j.put("driver", g.hasDriver() ? g.driverVersion() : null);
            j.put("cudaDriver", g.hasDriver() ? Nvml.cudaVersionName(g.cudaDriverVersion()) : null);
            j.put("gpuStatus", g.summary());
            j.put("engineGpus", f.engineGpus());
            j.put("auto", auto.name());
            j.put("autoWhyCpu", f.engineGpus() == 0 ? Devices.whyNoGpu(f) : auto.fallback());
            j.put("linearAlgebra", org.flowbench.engine.metrics.Linalg.get().name());
            out.println(Cli.json(j));
            return 0;
        }
        out.printf("Build: %s (engine DJL %s / PyTorch %s%s)%n", f.flavour(), Versions.djl(), Versions.pytorch(),
                "none".equals(f.cudaRuntime()) ? "" : ", CUDA runtime " + f.cudaRuntime());
        out.printf("CPU: %d cores, JVM heap max %.1f GiB%n", rt.availableProcessors(), rt.maxMemory() / 1073741824.0);
        out.println("GPU (driver): " + g.summary());
        for (GpuProbe.Gpu d : g.gpus()) {
            out.println("  gpu:" + d.index() + ": " + d.label()
                    + (d.index() < f.engineGpus() ? ", usable" : ", unusable: " + Devices.whyNoGpu(f)));
        }
        out.println("GPU (engine): " + f.engineGpus() + " usable by this build"
                + (f.engineGpus() == 0 ? " (" + Devices.whyNoGpu(f) + ")" : ""));
        out.println("auto: " + auto.name());
        out.println("Linear algebra (FID): " + org.flowbench.engine.metrics.Linalg.get().name());
        return 0;
    }
}
