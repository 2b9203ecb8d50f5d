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

    /** Median wall time in seconds of reps runs after warm-up runs. */
    private static double median(int warm, int reps, Runnable r) {
        for (int i = 0; i < warm; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t[reps / 2];
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

    private void row(String what, double fast, String fastName, double base, String baseName, String goal) {
        String r = String.format(Locale.ROOT, "| %s | %.4g s (%s) | %.4g s (%s) | %.1f× | %s |", what, fast, fastName,
                base, baseName, base / fast, goal);
        rows.add(r);
        LOG.info(r);
    }

    @Test
    void run() throws IOException {
        Linalg ob = Linalg.openBlas().orElseThrow();
        Linalg java = Linalg.pureJava();
        int cores = Runtime.getRuntime().availableProcessors();

        // 3. live refresh, d = 128: covariance() + distance to a cached reference
        int d1 = 128;
        GaussianStats ref128 = randomStats(d1, 5000, 1, ob);
        GaussianStats gen128 = randomStats(d1, 2000, 2, ob);
        Frechet.Reference rOb = new Frechet.Reference(ref128, ob);
        Frechet.Reference rJava = new Frechet.Reference(ref128, java);
        double[] sink = new double[1];
        double liveOb = median(50, 201, () -> sink[0] += rOb.distanceTo(gen128));
        double liveJava = median(20, 51, () -> sink[0] += rJava.distanceTo(gen128));
        row("one live refresh, d = 128 (cov + FD vs cached root)", liveOb, "OpenBLAS", liveJava, "pure Java", "≤ 5 ms");

        // 2. accumulate 10 000 × 2048
        int d = 2048;
        int n = 10_000;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double accOb = median(1, 3, () -> {
            GaussianStats s = new GaussianStats(d, ob);
            s.addBatch(x, n);
            sink[0] += s.count();
        });
        double accJava = median(0, 1, () -> {
            GaussianStats s = new GaussianStats(d, java);
            s.addBatch(x, n);
            sink[0] += s.count();
        });
        double accWelford = median(0, 1, () -> {
            GaussianStats s = new GaussianStats(d, java);
            for (int i = 0; i < n; i++) {
                s.add(x, i * d);
            }
            sink[0] += s.count();
        });
        row("accumulate 10 000 × 2048 (addBatch, dsyrk on 512-row chunks)", accOb, "OpenBLAS", accJava,
                "pure-Java syrk", "≤ 1 s");
        row("accumulate 10 000 × 2048", accOb, "OpenBLAS addBatch", accWelford, "per-sample Welford, Java", "≤ 1 s");

        // 1. FD between two 2048-d statistics
        GaussianStats a = new GaussianStats(d, ob);
        a.addBatch(x, n);
        GaussianStats b = randomStats(d, 6000, 4, ob);
        double[] covB = b.covariance();
        double[] muB = b.mean();
        Frechet.Reference[] keep = new Frechet.Reference[1];
        double buildOb = median(1, 3, () -> keep[0] = new Frechet.Reference(a, ob));
        Frechet.Reference cached = keep[0];
        double distOb = median(1, 3, () -> sink[0] += cached.distanceTo(muB, covB));
        double fullOb = median(0, 3, () -> sink[0] += Frechet.distance(a, b, ob));
        long t0 = System.nanoTime();
        Frechet.Reference rj = new Frechet.Reference(a, java);
        double buildJava = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        double fdJava = rj.distanceTo(muB, covB);
        double distJava = (System.nanoTime() - t0) / 1e9;
        double fdOb = cached.distanceTo(muB, covB);
        row("FD of two 2048-d statistics, from scratch (root + distance)", fullOb, "OpenBLAS", buildJava + distJava,
                "pure Java", "≤ 2 s");
        row("FD vs cached 2048-d reference root (2 dgemm + eigenvalues only)", distOb, "OpenBLAS", distJava,
                "pure Java", "≤ 2 s");
        row("building the 2048-d reference root once (dsyevd with vectors + dsyrk)", buildOb, "OpenBLAS", buildJava,
                "pure Java", "(once per reference)");
        String agree = String.format(Locale.ROOT, "FD(2048) OpenBLAS %.10f vs pure Java %.10f (rel %.1e)", fdOb, fdJava,
                Math.abs(fdOb - fdJava) / Math.abs(fdOb));
        LOG.info(agree);

        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(", ").append(cores).append(" cores visible, JDK ")
                .append(System.getProperty("java.version")).append(", single run of MetricsBenchmark; medians of ")
                .append("3 (OpenBLAS, 201 for d = 128) after warm-up; the pure-Java baselines are single runs.\n\n")
                .append("| what | fast | baseline (same run) | speed-up | goal |\n|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n').append(agree).append(" (checksum ").append(sink[0] > 0 ? "ok" : "?").append(")\n");
        Path out = Path.of("target", "metrics-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        DoubleSupplier unused = () -> sink[0];
        LOG.info("wrote {} ({})", out.toAbsolutePath(), unused.getAsDouble() != 0);
    }
}
