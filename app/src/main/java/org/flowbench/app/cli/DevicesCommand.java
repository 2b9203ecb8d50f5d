package org.flowbench.app.cli;

import java.util.concurrent.Callable;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.device.GpuProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flowbench devices}: CPU, GPUs seen by the driver, and what the engine can use. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "Show the CPU and GPUs Flowbench can see.")
public final class DevicesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--json", description = "print as JSON")
    boolean json;


    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        if (json) {
            GpuProbe.Report g = GpuProbe.probe();
            java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
            j.put("cpuCores", rt.availableProcessors());
            j.put("heapMaxBytes", rt.maxMemory());
            j.put("gpus", g.gpus());
            j.put("gpuStatus", g.summary());
            j.put("engineGpus", Devices.gpuCount());
            j.put("linearAlgebra", org.flowbench.engine.metrics.Linalg.get().name());
            out.println(Cli.json(j));
            return 0;
        }
        out.printf("CPU: %d cores, JVM heap max %.1f GiB%n", rt.availableProcessors(), rt.maxMemory() / 1073741824.0);
        out.println("GPU (driver): " + GpuProbe.probe().summary());
        out.println("GPU (engine): " + Devices.gpuCount() + " usable by DJL's PyTorch build");
        out.println("Linear algebra (FID): " + org.flowbench.engine.metrics.Linalg.get().name());
        return 0;
    }
}
