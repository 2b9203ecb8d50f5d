package org.flowbench.engine.device;

import java.util.Locale;
import org.flowbench.engine.metrics.FrechetCheck;
import org.flowbench.engine.metrics.Linalg;

/**
 * The GPU check that fits without libtorch (scripts/device-check.sh bundles it with a small JRE and JavaCPP's CUDA
 * bridges): NVML telemetry, and the FID's statistics and Fréchet distance on the GPU (cuBLAS, cuSOLVER) against the
 * CPU (pure Java), with timings. Prints one line per result; exit 0 when every check that could run passed (no GPU
 * is not a failure: the line says why), 1 on a mismatch.
 *
 * <p>Arguments: {@code [dim] [samplesPerSet]}, default 2048 and 4096.
 */
public final class DeviceCheck {
    static final double FID_TOLERANCE = 1e-6;

    private DeviceCheck() {}

    public static void main(String[] args) {
        int dim = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2 * dim;
        boolean ok = true;
        long t0 = System.nanoTime();
        GpuProbe.Report r = GpuProbe.probe();
        double probeMs = (System.nanoTime() - t0) / 1e6;
        say("java %s, %d cores", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        say("nvml: %s (read in %.1f ms)", r.summary(), probeMs);
        for (GpuProbe.Gpu g : r.gpus()) {
            say("nvml: gpu:%d %s: memory %d/%d MiB used, %d MiB free, utilisation %d %%, power %.1f W, %d °C",
                    g.index(), g.name(), g.memoryUsedBytes() >> 20, g.memoryTotalBytes() >> 20,
                    g.memoryFreeBytes() >> 20, g.utilizationPercent(), g.powerWatts(), g.temperatureCelsius());
            if (g.memoryTotalBytes() <= 0) {
                say("nvml: FAILED: gpu:%d reports no memory", g.index());
                ok = false;
            }
        }
        double[][] sets = FrechetCheck.sets(dim, rows);
        Linalg cpu = Linalg.pureJava();
        FrechetCheck.Timing onCpu = FrechetCheck.run(cpu, sets, dim, rows);
        say("fid: cpu (%s) %d-d, %d samples per set: accumulate %.3f s, distance %.3f s, FD %.12g", cpu.name(), dim,
                rows, onCpu.accumulateSeconds(), onCpu.distanceSeconds(), onCpu.distance());
        var gpu = Linalg.cuda();
        if (gpu.isEmpty()) {
            say("fid: no GPU backend: %s", Linalg.cudaUnavailableReason());
        } else {
            FrechetCheck.run(gpu.get(), FrechetCheck.sets(64, 128), 64, 128); // warm-up: handles, kernels, allocator
            FrechetCheck.Timing onGpu = FrechetCheck.run(gpu.get(), sets, dim, rows);
            double rel = Math.abs(onGpu.distance() - onCpu.distance()) / Math.abs(onCpu.distance());
            boolean same = rel <= FID_TOLERANCE;
            ok &= same;
            say("fid: gpu (%s) accumulate %.3f s (%.1fx), distance %.3f s (%.1fx), FD %.12g, relative difference %.3g "
                    + "(limit %.0e) %s", gpu.get(), onGpu.accumulateSeconds(),
                    onCpu.accumulateSeconds() / onGpu.accumulateSeconds(), onGpu.distanceSeconds(),
                    onCpu.distanceSeconds() / onGpu.distanceSeconds(), onGpu.distance(), rel, FID_TOLERANCE,
                    same ? "ok" : "FAILED");
            GpuProbe.Report after = GpuProbe.probe();
            after.gpus().forEach(g -> say("nvml: after the FID: gpu:%d this process %d MiB, utilisation %d %%",
                    g.index(), g.processMemoryBytes() >> 20, g.utilizationPercent()));
        }
        say("device check: %s in %.1f s", ok ? "passed" : "FAILED", (System.nanoTime() - t0) / 1e9);
        System.exit(ok ? 0 : 1);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
