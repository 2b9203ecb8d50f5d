package org.flowbench.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speed of the metrics against a same-run pure-Java baseline (takes a few minutes; not part of the default run):
 * <pre>nice mvn -B -q -o test -pl engine -Dtest=MetricsBenchmark -Dflowbench.bench=true</pre>
 * Writes a Markdown table to engine/target/metrics-benchmark.md (and the log).
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "flowbench.bench", matches = "true")
class MetricsBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsBenchmark.class);
    private final List<String> rows = new ArrayList<>();

    /** Process CPU seconds (all threads, including OpenBLAS's native ones), or NaN. */
    private static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** CPU seconds of the median-wall run of the last {@link #median} call. */
    private double lastCpu;

    /** Median wall time in seconds of reps runs after warm-up runs; lastCpu gets that run's process CPU time. */
    private double median(int warm, int reps, Runnable r) {
        for (int i = 0; i < warm; i++) {
            r.run();
        }
        double[][] t = new double[reps][2];
        for (int i = 0; i < reps; i++) {
            double c0 = cpuSeconds();
            long t0 = System.nanoTime();
            r.run();
            t[i][0] = (System.nanoTime() - t0) / 1e9;
            t[i][1] = cpuSeconds() - c0;
        }
        Arrays.sort(t, (x, y) -> Double.compare(x[0], y[0]));
        lastCpu = t[reps / 2][1];
        return t[reps / 2][0];
    }

    private static GaussianStats randomStats(int d, int n, long seed, Linalg la) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian() * (1 + (i % d) * 0.001) + 0.01 * (i % 7);
        }
        GaussianStats s = new GaussianStats(d, la);
        s.addBatch(x, n);
        return s;
    }

    private void row(String what, double fast, double fastCpu, String fastName, double base, String baseName,
            String goal) {
        // process CPU time has clock-tick (10 ms) resolution: only shown where it means something
        String cpu = fastCpu >= 0.05 ? String.format(Locale.ROOT, ", CPU %.3g s", fastCpu) : "";
        String r = String.format(Locale.ROOT, "| %s | %.4g s%s (%s) | %.4g s (%s) | %.1f× | %s |", what, fast, cpu,
                fastName, base, baseName, base / fast, goal);
        rows.add(r);
        LOG.info(r);
    }

    @Test
    void run() throws IOException {
        Linalg ob = Linalg.openBlas().orElseThrow();
        Linalg pj = Linalg.pureJava();
        int cores = Runtime.getRuntime().availableProcessors();

        // 3. live refresh, d = 128: covariance() + distance to a cached reference
        int d1 = 128;
        GaussianStats ref128 = randomStats(d1, 5000, 1, ob);
        GaussianStats gen128 = randomStats(d1, 2000, 2, ob);
        Frechet.Reference rOb = new Frechet.Reference(ref128, ob);
        Frechet.Reference rObRoot = new Frechet.Reference(ref128.mean(), ref128.covariance(), d1, ob, false);
        Frechet.Reference rJava = new Frechet.Reference(ref128.mean(), ref128.covariance(), d1, pj, false);
        double[] sink = new double[1];
        double liveJava = median(20, 51, () -> sink[0] += rJava.distanceTo(gen128));
        double liveOb = median(50, 201, () -> sink[0] += rOb.distanceTo(gen128));
        row("one live refresh, d = 128: covariance() + FD vs cached Cholesky factor", liveOb, lastCpu, "OpenBLAS",
                liveJava, "pure Java, symmetric root", "≤ 5 ms");
        double liveRoot = median(50, 201, () -> sink[0] += rObRoot.distanceTo(gen128));
        row("one live refresh, d = 128: covariance() + FD vs cached symmetric root", liveRoot, lastCpu, "OpenBLAS",
                liveJava, "pure Java, symmetric root", "≤ 5 ms");

        // 2. accumulate 10 000 × 2048
        int d = 2048;
        int n = 10_000;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double accJava = median(0, 1, () -> {
            GaussianStats s = new GaussianStats(d, pj);
            s.addBatch(x, n);
            sink[0] += s.count();
        });
        double accWelford = median(0, 1, () -> {
            GaussianStats s = new GaussianStats(d, pj);
            for (int i = 0; i < n; i++) {
                s.add(x, i * d);
            }
            sink[0] += s.count();
        });
        double accOb = median(1, 3, () -> {
            GaussianStats s = new GaussianStats(d, ob);
            s.addBatch(x, n);
            sink[0] += s.count();
        });
        row("accumulate 10 000 × 2048 (addBatch: dsyrk on 2048-row chunks + Chan merge)", accOb, lastCpu, "OpenBLAS",
                accWelford, "per-sample Welford, Java", "≤ 1 s");
        row("accumulate 10 000 × 2048 (same code path)", accOb, lastCpu, "OpenBLAS", accJava, "pure-Java syrk", "≤ 1 s");

        // 1. FD between two 2048-d statistics
        GaussianStats a = new GaussianStats(d, ob);
        a.addBatch(x, n);
        GaussianStats b = randomStats(d, 6000, 4, ob);
        double[] covB = b.covariance();
        double[] muB = b.mean();
        double[] covA = a.covariance();
        double[] muA = a.mean();
        long t0 = System.nanoTime();
        Frechet.Reference rj = new Frechet.Reference(muA, covA, d, pj, false);
        double buildJava = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        double fdJava = rj.distanceTo(muB, covB);
        double distJava = (System.nanoTime() - t0) / 1e9;
        String base = "pure Java, symmetric root";
        double fullOb = median(1, 3, () -> sink[0] += Frechet.distance(a, b, ob));
        row("FD of two 2048-d statistics from scratch (Cholesky factor + distance)", fullOb, lastCpu, "OpenBLAS",
                buildJava + distJava, base, "≤ 2 s");
        Frechet.Reference[] keep = new Frechet.Reference[2];
        double buildChol = median(1, 3, () -> keep[0] = new Frechet.Reference(muA, covA, d, ob, true));
        double buildCholCpu = lastCpu;
        double buildRoot = median(0, 3, () -> keep[1] = new Frechet.Reference(muA, covA, d, ob, false));
        double buildRootCpu = lastCpu;
        Frechet.Reference chol = keep[0];
        Frechet.Reference root = keep[1];
        double distChol = median(1, 3, () -> sink[0] += chol.distanceTo(muB, covB));
        row("FD vs cached 2048-d Cholesky factor (2 dtrmm + eigenvalues only)", distChol, lastCpu, "OpenBLAS",
                distJava, base, "≤ 2 s");
        double distRoot = median(0, 3, () -> sink[0] += root.distanceTo(muB, covB));
        row("FD vs cached 2048-d symmetric root (2 dgemm + eigenvalues only)", distRoot, lastCpu, "OpenBLAS",
                distJava, base, "≤ 2 s");
        row("building the 2048-d reference once: Cholesky (dpotrf)", buildChol, buildCholCpu, "OpenBLAS", buildJava,
                base, "(once per reference)");
        row("building the 2048-d reference once: symmetric root (dsyevd with vectors + dsyrk)", buildRoot,
                buildRootCpu, "OpenBLAS", buildJava, base, "(once per reference)");
        double fdChol = chol.distanceTo(muB, covB);
        double fdRoot = root.distanceTo(muB, covB);
        String agree = String.format(Locale.ROOT, "FD(2048): OpenBLAS Cholesky %.10f, OpenBLAS root %.10f, pure Java "
                + "root %.10f (max rel diff %.1e)", fdChol, fdRoot, fdJava,
                Math.max(Math.abs(fdChol - fdJava), Math.abs(fdRoot - fdJava)) / Math.abs(fdJava));
        LOG.info(agree);
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(", ").append(cores).append(" cores visible, JDK ")
                .append(System.getProperty("java.version")).append(", single run of MetricsBenchmark; medians of ")
                .append("3 (OpenBLAS, 201 for d = 128) after warm-up; the pure-Java baselines are single runs.\n\n")
                .append(String.format(Locale.ROOT, "Load average at the end: %.1f (shared machine). ", load))
                .append("CPU = process CPU seconds of the same run (all threads).\n\n")
                .append("| what | fast (wall, CPU) | baseline (same run) | speed-up | goal |\n|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n').append(agree).append(" (checksum ").append(sink[0] > 0 ? "ok" : "?").append(")\n");
        Path out = Path.of("target", "metrics-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        DoubleSupplier unused = () -> sink[0];
        LOG.info("wrote {} ({})", out.toAbsolutePath(), unused.getAsDouble() != 0);
    }
}
