package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small-N estimators (docs/metrics.md): KID with its jackknife interval, the bootstrap FID interval, and FID
 * extrapolation to FID∞ and to a chosen N. Known answers come from brute force and from Gaussian sets whose large-N
 * values are measured independently; coverage is checked both ways (an interval that is too narrow or too wide fails).
 */
class SmallSampleEstimatorsTest {
    /** n rows of N(shift·1, scale²·I_d), stream s. */
    private static double[] gaussian(int n, int d, double shift, double scale, long seed, int stream) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(seed, i, stream, x, i * d, d);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = shift + scale * x[i];
        }
        return x;
    }

    /** The exact N(0, I_d) as a reference. */
    private static Frechet.Reference standardNormal(int d) {
        double[] eye = new double[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1;
        }
        return new Frechet.Reference(new double[d], eye, d, Linalg.get());
    }

    private static double k(double[] a, int i, double[] b, int j, int d) {
        double dot = 0;
        for (int c = 0; c < d; c++) {
            dot += a[i * d + c] * b[j * d + c];
        }
        return Math.pow(dot / d + 1, 3);
    }

    /** The complete unbiased MMD² written out pair by pair, leaving out gen row skipX and reference row skipY. */
    private static double bruteMmd(double[] x, int n, double[] y, int m, int d, int skipX, int skipY) {
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int nn = skipX >= 0 ? n - 1 : n;
        int mm = skipY >= 0 ? m - 1 : m;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && i != skipX && j != skipX) {
                    sxx += k(x, i, x, j, d);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j && i != skipY && j != skipY) {
                    syy += k(y, i, y, j, d);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (i != skipX && j != skipY) {
                    sxy += k(x, i, y, j, d);
                }
            }
        }
        return sxx / (nn * (nn - 1.0)) + syy / (mm * (mm - 1.0)) - 2 * sxy / ((double) nn * mm);
    }

    @Test
    void kidAndItsJackknifeMatchBruteForce() {
        int d = 5;
        int n = 9;
        int m = 12;
        double[] x = gaussian(n, d, 0.3, 1.1, 1, 0);
        double[] y = gaussian(m, d, 0, 1, 2, 0);
        KidEstimator.Estimate e = new KidEstimator(y, m, d, Linalg.pureJava()).estimate(x, n, 0.95);
        assertEquals(bruteMmd(x, n, y, m, d, -1, -1), e.kid(), 1e-9);
        double[] lx = new double[n];
        double[] ly = new double[m];
        for (int i = 0; i < n; i++) {
            lx[i] = bruteMmd(x, n, y, m, d, i, -1);
        }
        for (int j = 0; j < m; j++) {
            ly[j] = bruteMmd(x, n, y, m, d, -1, j);
        }
        double var = jack(lx) + jack(ly);
        assertEquals(Math.sqrt(var), e.stdError(), 1e-9);
        assertEquals(e.kid() - 1.959964 * e.stdError(), e.lo(), 1e-6 * e.stdError());
        assertEquals(e.kid() + 1.959964 * e.stdError(), e.hi(), 1e-6 * e.stdError());
        // a longer buffer: only the first n rows count
        double[] longer = java.util.Arrays.copyOf(x, (n + 4) * d);
        assertEquals(e, new KidEstimator(y, m, d, Linalg.pureJava()).estimate(longer, n, 0.95));
    }

    @Test
    void pairedDifferenceMatchesBruteForceAndResolvesWhatSeparateIntervalsCannot() {
        int d = 5;
        int n = 9;
        int m = 12;
        double[] x = gaussian(n, d, 0.3, 1.1, 1, 0);
        double[] z = gaussian(n, d, 0.0, 0.3, 3, 0);
        double[] w = new double[x.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = x[i] + z[i]; // paired with x row by row
        }
        double[] y = gaussian(m, d, 0, 1, 2, 0);
        KidEstimator ke = new KidEstimator(y, m, d, Linalg.pureJava());
        KidEstimator.Estimate e = ke.difference(ke.sums(x, n), ke.sums(w, n), 0.95);
        assertEquals(bruteMmd(x, n, y, m, d, -1, -1) - bruteMmd(w, n, y, m, d, -1, -1), e.kid(), 1e-9);
        double[] lp = new double[n];
        double[] ly = new double[m];
        for (int i = 0; i < n; i++) {
            lp[i] = bruteMmd(x, n, y, m, d, i, -1) - bruteMmd(w, n, y, m, d, i, -1);
        }
        for (int j = 0; j < m; j++) {
            ly[j] = bruteMmd(x, n, y, m, d, -1, j) - bruteMmd(w, n, y, m, d, -1, j);
        }
        assertEquals(Math.sqrt(jack(lp) + jack(ly)), e.stdError(), 1e-9);
        // power: 64 pairs, the second set a slightly widened copy of the first: separate intervals overlap, the
        // paired difference excludes 0
        int d2 = 16;
        int n2 = 64;
        double[] a = gaussian(n2, d2, 0.1, 1.0, 40, 1);
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] *= 1.25;
        }
        KidEstimator k2 = new KidEstimator(gaussian(500, d2, 0, 1, 41, 2), 500, d2);
        KidEstimator.Estimate ea = k2.estimate(a, n2, 0.95);
        KidEstimator.Estimate eb = k2.estimate(b, n2, 0.95);
        assertTrue(ea.hi() > eb.lo() && eb.hi() > ea.lo(), "separate intervals overlap: " + ea + " " + eb);
        KidEstimator.Estimate diff = k2.difference(k2.sums(a, n2), k2.sums(b, n2), 0.95);
        assertTrue(diff.hi() < 0, "the paired difference resolves it: " + diff);
        assertEquals(ea.kid() - eb.kid(), diff.kid(), 1e-9);
    }

    private static double jack(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        return (v.length - 1.0) / v.length * java.util.Arrays.stream(v).map(t -> (t - mean) * (t - mean)).sum();
    }

    /**
     * At N = 64 the 95 % interval covers the large-N KID at least about 95 % of the time (200 independent generated
     * and reference sets; the truth is the mean of three estimates at N = m = 4000), and its standard error matches
     * the run-to-run spread: the jackknife is known to overstate a U-statistic's variance a little at small N (here
     * by about a fifth, so the interval is conservative), but a standard error off by more than that either way
     * leaves the band. (The reference side's share, small with m = 500 ≫ 64, is pinned by the brute-force test.)
     */
    @Test
    void kidIntervalCoversTheLargeSampleValueAtN64() {
        int d = 16;
        double truth = 0;
        for (int r = 0; r < 3; r++) {
            truth += new KidEstimator(gaussian(4000, d, 0, 1, 900 + r, 1), 4000, d)
                    .estimate(gaussian(4000, d, 0.1, 1.2, 950 + r, 2), 4000, 0.95).kid() / 3;
        }
        assertTrue(truth > 0.01, "the sets differ: " + truth);
        int trials = 200;
        int covered = 0;
        double[] kids = new double[trials];
        double meanSe = 0;
        for (int t = 0; t < trials; t++) {
            double[] ref = gaussian(500, d, 0, 1, 10_000 + t, 3);
            double[] gen = gaussian(64, d, 0.1, 1.2, 20_000 + t, 4);
            KidEstimator.Estimate e = new KidEstimator(ref, 500, d).estimate(gen, 64, 0.95);
            assertTrue(e.lo() <= e.kid() && e.kid() <= e.hi());
            kids[t] = e.kid();
            meanSe += e.stdError() / trials;
            if (e.lo() <= truth && truth <= e.hi()) {
                covered++;
            }
        }
        double mean = java.util.Arrays.stream(kids).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(kids).map(v -> (v - mean) * (v - mean)).sum() / (trials - 1));
        assertTrue(covered >= 180, "covered " + covered + " of " + trials + " (expected at least about 190)");
        assertEquals(truth, mean, 3 * sd / Math.sqrt(trials) + 0.005, "unbiased at N = 64");
        assertTrue(meanSe / sd > 0.85 && meanSe / sd < 1.4, "jackknife se / spread = " + meanSe / sd);
    }

    /**
     * The FID interval contains its estimate for every set (small N, where the replicates' upward bias is largest,
     * up to N well above d), deterministically for a seed.
     */
    @Test
    void fidIntervalAlwaysContainsItsEstimate() {
        int d = 16;
        Frechet.Reference ref = standardNormal(d);
        int[] ns = {12, 17, 24, 32, 64, 200};
        for (int k = 0; k < ns.length; k++) {
            for (int rep = 0; rep < 30; rep++) {
                int n = ns[k];
                double[] x = gaussian(n, d, 0.2 * (rep % 3), 1 + 0.1 * (rep % 4), 300 + rep, k);
                Bootstrap.Interval iv = Bootstrap.fid(ref, x, n, d, 50, 0.95, rep, Linalg.get());
                assertTrue(iv.lo() <= iv.fid() && iv.fid() <= iv.hi() && iv.lo() >= 0,
                        "N = " + n + ", rep " + rep + ": " + iv);
                assertTrue(iv.hi() > iv.lo(), iv.toString());
            }
        }
    }

    /**
     * FID predicted at N = 8 000 from 2 000 samples: its interval covers the mean FID of independent 8 000-sample
     * sets in most of 40 runs, and its width matches the run-to-run spread of the prediction (neither far too narrow
     * nor far too wide). FID∞ lies near the closed-form Fréchet distance.
     */
    @Test
    void extrapolatedFidPredictsTheLargeSampleFid() {
        int d = 16;
        Frechet.Reference ref = standardNormal(d);
        double trueFd = 16 * 0.01 + 16 * (2.2 - 2 * Math.sqrt(1.2));
        double truth = 0;
        for (int r = 0; r < 20; r++) {
            GaussianStats s = new GaussianStats(d);
            s.addBatch(gaussian(8000, d, 0.1, Math.sqrt(1.2), 5000 + r, 5), 8000);
            truth += ref.distanceTo(s) / 20;
        }
        int trials = 40;
        int covered = 0;
        double[] preds = new double[trials];
        double halfWidths = 0;
        double infs = 0;
        for (int t = 0; t < trials; t++) {
            FidExtrapolation fx = new FidExtrapolation(d);
            double[] x = gaussian(2000, d, 0.1, Math.sqrt(1.2), 7000 + t, 6);
            for (int b = 0; b < 2000; b += 64) { // arrives in batches, as in a run
                int k = Math.min(64, 2000 - b);
                fx.add(java.util.Arrays.copyOfRange(x, b * d, (b + k) * d), k);
            }
            FidExtrapolation.Estimate e = fx.estimate(ref, 8000, 0.95);
            assertTrue(e.points() >= 14 && e.points() <= 17, "prefixes of about 500, 600, … 2000 samples: "
                    + e.points());
            assertTrue(e.predictedLow() <= e.predicted() && e.predicted() <= e.predictedHigh(), e.toString());
            preds[t] = e.predicted();
            halfWidths += (e.predictedHigh() - e.predictedLow()) / 2 / trials;
            infs += e.fidInfinity() / trials;
            if (e.predictedLow() <= truth && truth <= e.predictedHigh()) {
                covered++;
            }
        }
        double mean = java.util.Arrays.stream(preds).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(preds).map(p -> (p - mean) * (p - mean)).sum() / (trials - 1));
        assertTrue(covered >= 30, "covered " + covered + " of " + trials);
        double ratio = halfWidths / (1.96 * sd);
        assertTrue(ratio > 0.6 && ratio < 1.7, "half-width / (1.96 sd) = " + ratio);
        assertEquals(truth, mean, 3 * sd / Math.sqrt(trials) + 0.01, "the prediction is unbiased");
        assertEquals(trueFd, infs, 0.03, "mean FID∞");
    }

    /**
     * A run cycles through its prompts (image i has class i mod 10). The extrapolation must not line its chunks up
     * with that cycle: dealt by i mod 20, every chunk held one class and FID∞ came out at −113 on the built-in model
     * (10 000-sample FID 36). Here ten well-separated classes in that order: the prediction still matches the FID
     * of independent 8000-sample sets.
     */
    @Test
    void extrapolationIsBlindToThePromptCycle() {
        int d = 8;
        int classes = 10;
        double[][] means = new double[classes][d];
        for (int c = 0; c < classes; c++) {
            means[c][c % d] = 3 * (c < d ? 1 : -1);
        }
        java.util.function.BiFunction<Integer, Long, double[]> run = (n, seed) -> {
            double[] x = gaussian(n, d, 0, 1, seed, 7);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    x[i * d + k] += means[i % classes][k];
                }
            }
            return x;
        };
        GaussianStats big = new GaussianStats(d);
        big.addBatch(run.apply(200_000, 1L), 200_000);
        Frechet.Reference ref = new Frechet.Reference(big);
        double truth = 0;
        for (int r = 0; r < 5; r++) {
            GaussianStats s = new GaussianStats(d);
            s.addBatch(run.apply(8000, 100L + r), 8000);
            truth += ref.distanceTo(s) / 5;
        }
        FidExtrapolation fx = new FidExtrapolation(d);
        double[] x = run.apply(2000, 9L);
        for (int b = 0; b < 2000; b += 64) {
            int k = Math.min(64, 2000 - b);
            fx.add(java.util.Arrays.copyOfRange(x, b * d, (b + k) * d), k);
        }
        FidExtrapolation.Estimate e = fx.estimate(ref, 8000, 0.95);
        double half = (e.predictedHigh() - e.predictedLow()) / 2;
        assertTrue(half < 0.1, e.toString());
        assertEquals(truth, e.predicted(), 1.5 * half + 0.01, e.toString());
    }

    @Test
    void extrapolationNeedsAThousandSamples() {
        int d = 4;
        FidExtrapolation fx = new FidExtrapolation(d);
        fx.add(gaussian(999, d, 0, 1, 1, 0), 999);
        Frechet.Reference ref = standardNormal(d);
        assertNull(fx.estimate(ref, 10_000, 0.95));
        fx.add(gaussian(1, d, 0, 1, 2, 0), 1);
        assertTrue(fx.estimate(ref, 10_000, 0.95) != null);
    }

    @Test
    void statisticsFilesKeepTheirKidFeatures(@TempDir Path dir) throws Exception {
        int d = 3;
        GaussianStats g = new GaussianStats(d);
        double[] f = gaussian(50, d, 0, 1, 3, 0);
        g.addBatch(f, 50);
        ReferenceStats plain = new ReferenceStats(new ReferenceStats.Identity("set", "test", 0, "identity", "h", "-",
                "none"), g);
        double[] kept = KidEstimator.subsetRows(f, 50, d, 20, 0);
        assertEquals(20 * d, kept.length);
        ReferenceStats rs = plain.withKidFeatures(kept);
        rs.write(dir.resolve("a.stats"));
        plain.write(dir.resolve("b.stats"));
        ReferenceStats a = ReferenceStats.read(dir.resolve("a.stats"));
        assertEquals(20, a.kidFeatureCount());
        for (int i = 0; i < kept.length; i++) {
            assertEquals((float) kept[i], a.kidFeatures()[i], 0);
        }
        assertEquals(0, a.fid(plain), 1e-9, "the moments are unchanged");
        assertEquals(0, ReferenceStats.read(dir.resolve("b.stats")).kidFeatureCount(), "a file without them");
        assertEquals(1.959964, Normal.quantile(0.975), 1e-6);
        assertEquals(-2.326348, Normal.quantile(0.01), 1e-6);
        assertEquals(0, Normal.quantile(0.5), 1e-12);
    }
}
