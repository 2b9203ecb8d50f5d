package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** S1, K1, B1 of method reference §6.1 plus serialisation and identity checks. */
class StatsKidBootstrapTest {
    static java.util.stream.Stream<Linalg> backends() {
        return Backends.all();
    }

    /** Two-pass mean and unbiased covariance, the definition np.cov implements. */
    static double[][] twoPass(double[] x, int n, int d) {
        double[] mu = new double[d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                mu[i] += x[r * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            mu[i] /= n;
        }
        double[] c = new double[d * d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i * d + j] += (x[r * d + i] - mu[i]) * (x[r * d + j] - mu[j]);
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= n - 1;
        }
        return new double[][] {mu, c};
    }

    private static void assertRelArray(double[] e, double[] a, double rel) {
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], rel * scale, "element " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void largeOffsetDoesNotCancel(Linalg la) {
        int d = 7;
        int n = 1237;
        double[] x = NoiseSource.gaussian(42, 0, 0, n * d);
        for (int i = 0; i < x.length; i++) {
            x[i] = 1000 + 0.01 * x[i] + (i % d); // large offset: the case where naive sums fail
        }
        double[][] ref = twoPass(x, n, d);
        // arbitrary split: per-sample Welford for the first 100, a batch of 613 (two chunks), a merged third part
        GaussianStats a = new GaussianStats(d, la);
        for (int r = 0; r < 100; r++) {
            a.add(x, r * d);
        }
        double[] mid = java.util.Arrays.copyOfRange(x, 100 * d, 713 * d);
        a.addBatch(mid, 613);
        GaussianStats b = new GaussianStats(d, la);
        double[] rest = java.util.Arrays.copyOfRange(x, 713 * d, n * d);
        b.addBatch(rest, 3);
        double[] tail = java.util.Arrays.copyOfRange(x, 716 * d, n * d);
        for (int r = 0; r < n - 716; r++) {
            b.add(tail, r * d);
        }
        a.merge(b);
        assertEquals(n, a.count());
        assertRelArray(ref[0], a.mean(), 1e-12);
        // features 1000 ± 0.01 (the §5.9 float32 failure case): representing x alone costs ~1e-11 relative in the
        // deviations, so both two-pass and streaming agree to ~1e-10 of the covariance scale, never −505.
        assertRelArray(ref[1], a.covariance(), 1e-9);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void s1StreamingEqualsBatch(Linalg la) {
        int d = 33;
        int n = 1500;
        double[] x = NoiseSource.gaussian(7, 0, 0, n * d);
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * x[i] + 0.1 * (i % d);
        }
        // arbitrary split: Welford for 0..99, a batch 100..812 (two chunks), a separate accumulator for the rest, merged
        GaussianStats batch = new GaussianStats(d, la);
        for (int r = 0; r < 100; r++) {
            batch.add(x, r * d);
        }
        batch.addBatch(java.util.Arrays.copyOfRange(x, 100 * d, 813 * d), 713);
        GaussianStats rest = new GaussianStats(d, la);
        rest.addBatch(java.util.Arrays.copyOfRange(x, 813 * d, n * d), n - 813);
        batch.merge(rest);
        GaussianStats single = new GaussianStats(d, la);
        for (int r = 0; r < n; r++) {
            single.add(x, r * d);
        }
        double[][] ref = twoPass(x, n, d);
        assertRelArray(ref[0], batch.mean(), 1e-12);
        assertRelArray(ref[1], batch.covariance(), 1e-12);
        assertRelArray(ref[1], single.covariance(), 1e-12);
    }

    @Test
    void serialisationRoundTrips(@TempDir Path dir) throws Exception {
        int d = 5;
        double[] x = NoiseSource.gaussian(3, 0, 0, 40 * d);
        GaussianStats s = new GaussianStats(d);
        s.addBatch(x, 40);
        Path f = dir.resolve("s.bin");
        s.write(f);
        GaussianStats t = GaussianStats.read(f);
        assertEquals(40, t.count());
        assertArrayEquals(s.mean(), t.mean(), 0.0);
        assertArrayEquals(s.covariance(), t.covariance(), 0.0);
    }

    @Test
    void referenceStatsFileKeepsIdentityAndRefusesMismatches(@TempDir Path dir) throws Exception {
        int d = 4;
        GaussianStats s = new GaussianStats(d);
        s.addBatch(NoiseSource.gaussian(5, 0, 0, 100 * d), 100);
        ReferenceStats.Identity id = new ReferenceStats.Identity("fashion-mnist", "test", 0, "identity", "-",
                "none", "none");
        ReferenceStats rs = new ReferenceStats(id, s);
        Path f = dir.resolve("ref.stats");
        rs.write(f);
        assertTrue(ReferenceStats.isStatsFile(f));
        ReferenceStats back = ReferenceStats.read(f);
        assertEquals(id.withCount(100), back.identity());
        assertEquals(0.0, back.fid(rs), 1e-9);
        ReferenceStats other = new ReferenceStats(new ReferenceStats.Identity("gen", "-", 0, "identity", "-",
                "none", "uint8"), s);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> rs.fid(other));
        assertTrue(e.getMessage().contains("quantisation"), e.getMessage());
        ReferenceStats otherNet = new ReferenceStats(new ReferenceStats.Identity("gen", "-", 0,
                "torchscript:x.pt", "abc", "none", "none"), s);
        assertThrows(FlowbenchException.class, () -> rs.fid(otherNet));
        assertThrows(FlowbenchException.class, () -> ReferenceStats.read(dir.resolve("missing.stats")));
    }

    static final double[] KX = {0.1, 0.2, 0.3, -0.1, -0.2, 0.4, 0, 0.1};
    static final double[] KY = {1, 0.5, 0.8, 0.9, 1.2, 0.7, 0.9, 1.1};

    @ParameterizedTest
    @MethodSource("backends")
    void k1KnownAnswer(Linalg la) {
        Kid.Result xy = Kid.compute(KX, 4, KY, 4, 2, 100, 1000, 0, la);
        assertEquals(4.161257937500, xy.mean(), 1e-11);
        assertEquals(0.0, xy.std(), 1e-11); // full sets: every round sees the same value
        assertEquals(4, xy.subsetSize());
        assertEquals(-0.069093760417, Kid.compute(KX, 4, KX, 4, 2, 100, 1000, 0, la).mean(), 1e-11);
    }

    @Test
    void kidIsDeterministicAndUnbiased() {
        int d = 8;
        double[] a = NoiseSource.gaussian(11, 0, 0, 600 * d);
        double[] b = NoiseSource.gaussian(12, 0, 0, 700 * d);
        Kid.Result r1 = Kid.compute(a, 600, b, 700, d, 20, 200, 9, Linalg.get());
        Kid.Result r2 = Kid.compute(a, 600, b, 700, d, 20, 200, 9, Linalg.get());
        assertEquals(r1, r2);
        assertEquals(200, r1.subsetSize());
        // same distribution: mean KID is zero up to its standard error
        assertTrue(Math.abs(r1.mean()) < 4 * r1.std() / Math.sqrt(20) + 1e-12, r1.toString());
        // shifted distribution: clearly positive
        double[] c = b.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += 0.5;
        }
        assertTrue(Kid.compute(a, 600, c, 700, d, 20, 200, 9, Linalg.get()).mean() > 0.05);
    }

    /** B1: mean FID of N(0, I16) samples against the exact N(0, I16), 200 repeats, follows the 1/N law. */
    @Test
    void b1BiasFollowsOneOverN() {
        int d = 16;
        int[] ns = {250, 500, 1000, 2000, 4000, 8000};
        double[] expected = {0.339, 0.170, 0.0854, 0.0422, 0.0210, 0.0105};
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        Frechet.Reference ref = new Frechet.Reference(new double[d], eye, d, Linalg.get());
        int repeats = 200;
        for (int k = 0; k < ns.length; k++) {
            int n = ns[k];
            double sum = 0;
            double sum2 = 0;
            double[] x = new double[n * d];
            for (int rep = 0; rep < repeats; rep++) {
                for (int i = 0; i < n; i++) {
                    NoiseSource.gaussian(1000 + k, (long) rep * 100_000 + i, 0, x, i * d, d);
                }
                GaussianStats s = new GaussianStats(d);
                s.addBatch(x, n);
                double f = ref.distanceTo(s);
                sum += f;
                sum2 += f * f;
            }
            double mean = sum / repeats;
            double se = Math.sqrt((sum2 / repeats - mean * mean) / repeats);
            // the prototype's value has its own Monte-Carlo error of about the same size as ours
            assertEquals(expected[k], mean, 4 * se + 0.01 * expected[k], "N = " + n + " (se " + se + ")");
            assertEquals(84.0 / n, mean, 4 * se + 0.03 * expected[k], "1/N law at N = " + n);
        }
    }

    @Test
    void bootstrapIntervalCoversAndExtrapolationRemovesBias() {
        int d = 16;
        int n = 4000;
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        Frechet.Reference ref = new Frechet.Reference(new double[d], eye, d, Linalg.get());
        // B2 set-up: gen N(0.1·1, 1.2·I16), true FD = 16·0.01 + 16·(1 + 1.2 − 2√1.2) = 0.30576
        double trueFd = 16 * 0.01 + 16 * (2.2 - 2 * Math.sqrt(1.2));
        assertEquals(0.30576, trueFd, 1e-5);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(77, i, 0, x, i * d, d);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.1 + Math.sqrt(1.2) * x[i];
        }
        Bootstrap.Interval iv = Bootstrap.fid(ref, x, n, d, 50, 0.95, 5, Linalg.get());
        assertTrue(iv.lo() < iv.fid() && iv.fid() < iv.hi(), iv.toString());
        assertTrue(iv.hi() - iv.lo() < 0.2 && iv.stdError() > 0, iv.toString());
        assertEquals(iv, Bootstrap.fid(ref, x, n, d, 50, 0.95, 5, Linalg.get()));
        // chunked statistics → FID at N/8 … N → a + b/N: intercept near the true FD, slope positive (upward bias)
        List<GaussianStats> chunks = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            GaussianStats s = new GaussianStats(d);
            s.addBatch(java.util.Arrays.copyOfRange(x, c * 500 * d, (c + 1) * 500 * d), 500);
            chunks.add(s);
        }
        Bootstrap.Extrapolation ex = Bootstrap.extrapolate(ref, chunks);
        assertEquals(4000, ex.ns()[7]);
        assertEquals(iv.fid(), ex.fids()[7], 1e-9);
        assertEquals(trueFd, ex.fidInfinity(), 0.06, ex.toString());
        Bootstrap.Extrapolation inf = Bootstrap.fidInfinity(ref, x, n, d, 15, 500, 3, Linalg.get());
        assertEquals(15, inf.ns().length);
        assertEquals(trueFd, inf.fidInfinity(), 0.06, inf.toString());
        // exact fit check: points on a + b/N recover a and b
        Bootstrap.Extrapolation fit = Bootstrap.fit(new long[] {100, 200, 400}, new double[] {1 + 5.0 / 100, 1 + 5.0 / 200, 1 + 5.0 / 400});
        assertEquals(1.0, fit.fidInfinity(), 1e-12);
        assertEquals(5.0, fit.slope(), 1e-9);
    }

    @Test
    void latencyRecorderKeepsColdApart() {
        LatencyRecorder r = new LatencyRecorder();
        r.recordBatch(10, 500_000_000L, 100); // cold: 0.5 s
        for (int i = 0; i < 9; i++) {
            r.recordBatch(10, 100_000_000L, 100);
        }
        r.recordBatch(10, 200_000_000L, 100);
        LatencyRecorder.Snapshot s = r.snapshot();
        assertEquals(500.0, s.coldBatchMs(), 1e-9);
        assertEquals(50.0, s.coldPerImageMs(), 1e-9);
        assertEquals(10, s.warmBatches());
        assertEquals(100.0, s.batchP50Ms(), 0.1);
        assertEquals(200.0, s.batchP99Ms(), 0.2);
        assertEquals(10.0, s.imageP50Ms(), 0.01);
        assertEquals(100 / 1.1, s.imagesPerSecond(), 1e-6);
        assertEquals(10.0, s.nfePerImage(), 1e-12);
        assertEquals(110, s.images());
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertTrue(s.peakRssBytes() >= s.rssBytes() && s.rssBytes() > 1_000_000, s.toString());
        }
        assertEquals(1234, LatencyRecorder.parseKb("   1234 kB"));
    }
}
