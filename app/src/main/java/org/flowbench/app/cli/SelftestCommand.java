package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.Versions;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.device.GpuProbe;
import org.flowbench.engine.metrics.FrechetCheck;
import org.flowbench.engine.metrics.Linalg;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowbench selftest}: checks the GPU against the CPU on this machine. Sampling on the GPU must equal the CPU
 * for a fixed seed within {@value #SAMPLE_TOLERANCE} max abs (noise is drawn on the CPU, so both start from the same
 * states; TF32 must be off: {@code NVIDIA_TF32_OVERRIDE=0}), the GPU FID must equal the CPU FID to
 * {@value #FID_TOLERANCE} relative, and NVML must be readable; it prints the timings (Euler images/s, a 2048-d
 * Fréchet distance) on both. Without a usable GPU it runs the CPU half, prints why the GPU half is skipped, and
 * exits 0 ({@code --require-gpu}: 2).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check sampling, FID and telemetry on the GPU against the CPU, with timings.")
public final class SelftestCommand implements Callable<Integer> {
    static final double SAMPLE_TOLERANCE = 1e-3;
    static final double FID_TOLERANCE = 1e-6;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "builtin:fashion-flow", description = "model (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--n", defaultValue = "64", description = "images sampled on each device (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--steps", defaultValue = "50", description = "Euler steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--dim", defaultValue = "2048", description = "feature dimension of the FID check (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--require-gpu", description = "exit 2 when no GPU is usable instead of checking the CPU half only")
    boolean requireGpu;

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> r = new LinkedHashMap<>();
        Devices.Facts facts = Devices.facts();
        r.put("flavour", facts.flavour());
        r.put("engine", "DJL " + Versions.djl() + " / PyTorch " + Versions.pytorch());
        GpuProbe.Report gpus = GpuProbe.probe();
        r.put("telemetry", gpus.summary());
        boolean telemetryOk = !gpus.hasGpu() || gpus.gpus().stream().allMatch(g -> g.memoryTotalBytes() > 0);
        Devices.Choice auto = Devices.choose("auto", facts);
        boolean gpu = auto.fallback() == null && auto.isGpu();
        say(out, "build: " + facts.flavour() + " (" + r.get("engine") + ")");
        say(out, "telemetry: " + gpus.summary() + (telemetryOk ? "" : " — FAILED: a GPU without memory figures"));
        if (!gpu) {
            say(out, auto.fallback());
            r.put("gpu", auto.fallback());
            if (requireGpu) {
                spec.commandLine().getErr().println("flowbench: selftest needs a usable GPU: " + auto.fallback());
                return 2;
            }
        }
        String tf32 = System.getenv("NVIDIA_TF32_OVERRIDE");
        r.put("tf32Override", tf32);
        if (gpu && !"0".equals(tf32)) {
            say(out, "note: NVIDIA_TF32_OVERRIDE is not 0, so cuDNN may use TF32 and the sampling check may fail");
        }

        // 1. sampling: the same noises on both devices
        Devices.use("cpu");
        double[] cpuSamples = sample(r, "cpu");
        boolean samplesOk = true;
        if (gpu) {
            Devices.use(auto.name());
            double[] gpuSamples = sample(r, "gpu");
            double maxAbs = 0;
            for (int i = 0; i < cpuSamples.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(cpuSamples[i] - gpuSamples[i]));
            }
            samplesOk = maxAbs <= SAMPLE_TOLERANCE;
            r.put("sampleMaxAbsDiff", maxAbs);
            say(out, String.format(Locale.ROOT, "sampling: GPU vs CPU max abs difference %.3g (limit %.0e) %s", maxAbs,
                    SAMPLE_TOLERANCE, samplesOk ? "ok" : "FAILED"));
        }
        say(out, String.format(Locale.ROOT, "Euler %d, %d images: CPU %.1f images/s%s", steps, n,
                (double) r.get("cpuImagesPerSecond"), gpu ? String.format(Locale.ROOT, ", GPU %.1f images/s (%.1f×)",
                        (double) r.get("gpuImagesPerSecond"),
                        (double) r.get("gpuImagesPerSecond") / (double) r.get("cpuImagesPerSecond")) : ""));

        // 2. FID: the same statistics through the CPU's and the GPU's linear algebra
        Linalg cpu = Linalg.openBlas().orElse(Linalg.pureJava());
        double[][] sets = FrechetCheck.sets(dim, 2 * dim);
        FrechetCheck.Timing fdCpu = FrechetCheck.run(cpu, sets, dim, 2 * dim);
        r.put("fdCpu", fdCpu.distance());
        r.put("fdCpuSeconds", fdCpu.seconds());
        boolean fidOk = true;
        var cuda = Linalg.cuda();
        String fdLine = String.format(Locale.ROOT, "Fréchet distance, %d-d: CPU (%s) %.9g in %.3f s", dim, cpu.name(),
                fdCpu.distance(), fdCpu.seconds());
        if (cuda.isPresent()) {
            FrechetCheck.Timing fdGpu = FrechetCheck.run(cuda.get(), sets, dim, 2 * dim);
            double rel = Math.abs(fdGpu.distance() - fdCpu.distance()) / Math.abs(fdCpu.distance());
            fidOk = rel <= FID_TOLERANCE;
            r.put("fdGpu", fdGpu.distance());
            r.put("fdGpuSeconds", fdGpu.seconds());
            r.put("fdRelativeDiff", rel);
            fdLine += String.format(Locale.ROOT, "; GPU %.9g in %.3f s (%.1f×); relative difference %.2g (limit %.0e) %s",
                    fdGpu.distance(), fdGpu.seconds(), fdCpu.seconds() / fdGpu.seconds(), rel, FID_TOLERANCE,
                    fidOk ? "ok" : "FAILED");
        } else {
            r.put("fdGpu", null);
            fdLine += "; GPU FID unavailable: " + Linalg.cudaUnavailableReason();
        }
        say(out, fdLine);
        boolean ok = telemetryOk && samplesOk && fidOk;
        r.put("ok", ok);
        if (json) {
            out.println(Cli.json(r));
        }
        return ok ? 0 : 1;
    }

    private void say(PrintWriter out, String line) {
        if (!json) {
            out.println(line);
        }
    }

    /** n images of Euler {@code steps} from seed 0 on the current device, classes in turn; records images/s. */
    private double[] sample(Map<String, Object> r, String key) throws Exception {
        Sampler s = SamplerRegistry.create("euler", Map.of("steps", Integer.toString(steps)));
        try (FlowModel m = Models.open(model)) {
            int[] cycle = org.flowbench.engine.model.PromptSet.parse(m.classNames().isEmpty() ? "" : "all", m).cycle();
            // one warm-up batch (the first call compiles kernels and allocates), then the timed run
            s.sample(SamplingRequest.conditioned(1, 0, Math.min(n, 8), 8, cycle, 0), m, ProgressListener.NONE,
                    CancellationToken.NONE);
            long t0 = System.nanoTime();
            double[] x = s.sample(SamplingRequest.conditioned(0, 0, n, Math.min(n, 64), cycle, 0), m,
                    ProgressListener.NONE, CancellationToken.NONE).samples();
            r.put(key + "ImagesPerSecond", n / ((System.nanoTime() - t0) / 1e9));
            r.put(key + "Device", m.device());
            return x;
        }
    }
}
