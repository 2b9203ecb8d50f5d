package org.flowbench.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.metrics.Bootstrap;
import org.flowbench.engine.metrics.FeatureExtractors;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.Kid;
import org.flowbench.engine.metrics.Linalg;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.metrics.SampleSets;
import org.flowbench.engine.model.FeatureExtractor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench fid}: FID (and optionally KID and a bootstrap interval) between two sets or statistics. */
@Command(name = "fid", mixinStandardHelpOptions = true,
        description = "Fréchet distance (and KID) between two sample sets or statistics files; prints N with every value.")
public final class FidCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--a", required = true, description = "reference: .npy, image folder, .stats file, or .npz "
            + "statistics (mu, sigma: pytorch-fid, clean-fid)")
    Path a;

    @Option(names = "--b", required = true, description = "generated: .npy, image folder, .stats or .npz file")
    Path b;

    @Option(names = "--features", description = "identity | torchscript:FILE.pt[?mode=clean|legacy|none][&size=S] | builtin:NAME "
            + "(required unless both sides are .stats files)")
    String features;

    @Option(names = "--kid", description = "also compute KID (100 subsets of ≤ 1000; needs samples on both sides)")
    boolean kid;

    @Option(names = "--bootstrap", defaultValue = "0",
            description = "B bootstrap replicates of the generated set (--b, or --a if --b is statistics) for a 95%% interval")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "seed for KID subsets and bootstrap resampling")
    long seed;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    /** One side: statistics with identity, and its features if it came from samples. */
    private record Side(ReferenceStats stats, double[] features, String source) {}

    @Override
    public Integer call() throws Exception {
        deviceOption.apply();
        boolean aStats = ReferenceStats.isStatsFile(a);
        boolean bStats = ReferenceStats.isStatsFile(b);
        if ((!aStats || !bStats) && features == null) {
            throw new FlowbenchException("--features is required when --a or --b is a sample set",
                    "e.g. --features identity");
        }
        if (kid && (aStats || bStats)) {
            throw new FlowbenchException("--kid needs samples on both sides, not statistics files",
                    "pass the .npy files or image folders");
        }
        if (bootstrap > 0 && aStats && bStats) {
            throw new FlowbenchException("--bootstrap needs the generated samples, not a statistics file");
        }
        if (bootstrap == 1 || bootstrap < 0) {
            throw new FlowbenchException("--bootstrap must be 0 (off) or at least 2");
        }
        // float samples against statistics of 8-bit images are quantised as the statistics declare (Quantisation)
        Side sa = aStats ? side(a, true, null) : null;
        Side sb = bStats ? side(b, true, null) : null;
        // statistics of unknown measurement (.npz) declare no quantisation: the samples are taken as they are
        if (sa == null) {
            sa = side(a, false, sb == null || !sb.stats().measurementKnown() ? null
                    : sb.stats().identity().quantisation());
        }
        if (sb == null) {
            sb = side(b, false, aStats && sa.stats().measurementKnown() ? sa.stats().identity().quantisation() : null);
        }
        sa.stats().requireComparable(sb.stats()); // same extractor, hash, preprocessing, quantisation, d
        String warning = sa.stats().comparabilityWarning(sb.stats());
        if (warning != null) {
            // stderr, so that --json output stays one parseable object
            spec.commandLine().getErr().println("flowbench: warning: " + warning);
            spec.commandLine().getErr().flush();
        }
        int d = sa.stats().dim();
        Frechet.Reference ref = new Frechet.Reference(sa.stats().stats());
        double fid = ref.distanceTo(sb.stats().stats());
        Kid.Result k = null;
        if (kid) {
            k = Kid.compute(sa.features(), (int) sa.stats().count(), sb.features(), (int) sb.stats().count(), d, seed);
        }
        Bootstrap.Interval iv = null;
        if (bootstrap > 0) {
            Side gen = sb.features() != null ? sb : sa;
            Frechet.Reference r = gen == sb ? ref : new Frechet.Reference(sb.stats().stats());
            iv = Bootstrap.fid(r, gen.features(), (int) gen.stats().count(), d, bootstrap, 0.95, seed, Linalg.get());
        }
        print(fid, k, iv, sa, sb, d);
        return 0;
    }

    private Side side(Path p, boolean isStats, String referenceQuantisation) throws Exception {
        if (isStats) {
            return new Side(ReferenceStats.read(p), null, p.toString());
        }
        SampleSets.Samples s = SampleSets.quantisedLike(SampleSets.requireStatistics(SampleSets.load(p), p.toString()),
                referenceQuantisation);
        FeatureExtractor fx = FeatureExtractors.resolve(features, s.shape());
        try {
            ProgressReport report = ProgressReport.on(spec.commandLine().getErr(), "features", "images");
            double[] f = SampleSets.features(fx, s, new org.flowbench.engine.run.ProgressListener() {
                @Override
                public void progress(long done, long total, String what) {
                    report.update(done, total);
                }
            });
            GaussianStats g = new GaussianStats(fx.dim());
            g.addBatch(f, s.n());
            return new Side(new ReferenceStats(ReferenceStats.Identity.of(s.source(), "-", fx,
                    SampleSets.quantisation(s, fx)), g), f, p.toString());
        } finally {
            if (fx instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    private void print(double fid, Kid.Result k, Bootstrap.Interval iv, Side sa, Side sb, int d) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ReferenceStats.Identity id = sa.stats().identity();
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("fid", fid);
            if (sa.stats().countKnown()) {
                o.put("nA", sa.stats().count());
            } else {
                o.putNull("nA");
            }
            if (sb.stats().countKnown()) {
                o.put("nB", sb.stats().count());
            } else {
                o.putNull("nB");
            }
            o.put("dim", d);
            o.put("features", id.extractor());
            o.put("featuresHash", id.extractorHash());
            o.put("preprocessing", id.preprocessing());
            o.put("quantisation", id.quantisation());
            o.put("a", sa.source());
            o.put("b", sb.source());
            if (k != null) {
                ObjectNode kn = o.putObject("kid");
                kn.put("mean", k.mean());
                kn.put("std", k.std());
                kn.put("subsets", k.subsets());
                kn.put("subsetSize", k.subsetSize());
            }
            if (iv != null) {
                ObjectNode bn = o.putObject("bootstrap");
                bn.put("level", iv.level());
                bn.put("lo", iv.lo());
                bn.put("hi", iv.hi());
                bn.put("stdError", iv.stdError());
                bn.put("replicates", iv.replicates());
                bn.put("n", iv.n());
            }
            out.println(Json.COMPACT.writeValueAsString(o));
            return;
        }
        out.println(String.format(Locale.ROOT, "FID %.6f  (N_a = %s, N_b = %s, d = %d, features %s)", fid,
                sa.stats().countKnown() ? Long.toString(sa.stats().count()) : "unknown",
                sb.stats().countKnown() ? Long.toString(sb.stats().count()) : "unknown", d,
                sa.stats().measurementKnown() ? id.extractor() : sb.stats().identity().extractor()));
        if (k != null) {
            out.println(String.format(Locale.ROOT, "KID %.6g ± %.3g  (%d subsets of %d; ×10³: %.4f)", k.mean(), k.std(),
                    k.subsets(), k.subsetSize(), k.mean() * 1e3));
        }
        if (iv != null) {
            out.println(String.format(Locale.ROOT, "FID %.0f%% bootstrap interval [%.6f, %.6f], se %.4g  (B = %d, N = %d)",
                    iv.level() * 100, iv.lo(), iv.hi(), iv.stdError(), iv.replicates(), iv.n()));
        }
    }
}
