package org.flowbench.engine.device;

import java.util.Locale;
import java.util.SplittableRandom;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
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
        double[][] sets = sets(dim, rows);
        Linalg cpu = Linalg.pureJava();
        double[] onCpu = frechet(cpu, sets, dim, rows);
        say("fid: cpu (%s) %d-d, %d samples per set: accumulate %.3f s, distance %.3f s, FD %.12g", cpu.name(), dim,
                rows, onCpu[1], onCpu[2], onCpu[0]);
        var gpu = Linalg.cuda();
        if (gpu.isEmpty()) {
            say("fid: no GPU backend: %s", Linalg.cudaUnavailableReason());
        } else {
            frechet(gpu.get(), sets(64, 128), 64, 128); // warm-up: handles, kernels, the allocator
            double[] onGpu = frechet(gpu.get(), sets, dim, rows);
            double rel = Math.abs(onGpu[0] - onCpu[0]) / Math.abs(onCpu[0]);
            boolean same = rel <= FID_TOLERANCE;
            ok &= same;
            say("fid: gpu (%s) accumulate %.3f s (%.1fx), distance %.3f s (%.1fx), FD %.12g, relative difference %.3g "
                    + "(limit %.0e) %s", gpu.get(), onGpu[1], onCpu[1] / onGpu[1], onGpu[2], onCpu[2] / onGpu[2],
                    onGpu[0], rel, FID_TOLERANCE, same ? "ok" : "FAILED");
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

    /** Two sets of correlated Gaussian features (a mean shift and unequal scales), fixed seed. */
    static double[][] sets(int dim, int rows) {
        SplittableRandom rnd = new SplittableRandom(20261206);
        double[][] s = new double[2][rows * dim];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < rows; i++) {
                double shared = rnd.nextGaussian();
                for (int j = 0; j < dim; j++) {
                    s[k][i * dim + j] = (1 + j / (double) dim) * rnd.nextGaussian() + 0.3 * shared + k * 0.05;
                }
            }
        }
        return s;
    }

    /** {distance, seconds to accumulate both sets' statistics, seconds for the distance}. */
    static double[] frechet(Linalg l, double[][] sets, int dim, int rows) {
        long t0 = System.nanoTime();
        GaussianStats a = new GaussianStats(dim, l);
        GaussianStats b = new GaussianStats(dim, l);
        int batch = 256;
        for (int i = 0; i < rows; i += batch) {
            int n = Math.min(batch, rows - i);
            a.addBatch(java.util.Arrays.copyOfRange(sets[0], i * dim, (i + n) * dim), n);
            b.addBatch(java.util.Arrays.copyOfRange(sets[1], i * dim, (i + n) * dim), n);
        }
        long t1 = System.nanoTime();
        double d = Frechet.distance(a, b, l);
        return new double[] {d, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9};
    }
}
