package org.flowbench.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flowbench.engine.metrics.FeatureExtractors;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.metrics.SampleSets;
import org.flowbench.engine.model.FeatureExtractor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench stats}: feature statistics of a sample set, with their identity, for later FID. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Compute reference statistics (mean, covariance and identity) of a sample set.")
public final class StatsCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(names = "--json", description = "print the summary as JSON")
    boolean json;


    @Option(names = "--in", required = true, description = ".npy [n, dims...] or a folder of PNG/JPEG images")
    Path in;

    @Option(names = "--features", required = true,
            description = "identity | torchscript:FILE.pt[?mode=clean|legacy|none][&size=S] | builtin:NAME")
    String features;

    @Option(names = "--out", required = true, description = "statistics file to write (.stats, or .npz)")
    Path out;

    @Option(names = "--format", description = "stats (Flowbench, with the identity of data and measurement) or npz "
            + "(mu, sigma and n, as pytorch-fid and clean-fid read them); default: from --out's extension")
    String format;

    @Option(names = "--dataset", description = "dataset name stored in the identity (default: the input's name)")
    String dataset;

    @Option(names = "--split", defaultValue = "-", description = "dataset split stored in the identity")
    String split;

    @Option(names = "--kid-features", defaultValue = "" + org.flowbench.engine.metrics.KidEstimator.DEFAULT_REFERENCE_ROWS,
            description = "reference feature rows kept in a .stats file for KID (a seeded subset; 0: none; "
                    + "default: ${DEFAULT-VALUE})")
    int kidFeatures;

    @Override
    public Integer call() throws Exception {
        deviceOption.apply();
        OutputPaths.check(java.util.Map.of("--in", in), java.util.Map.of("--out", out));
        SampleSets.Samples s = SampleSets.requireStatistics(SampleSets.load(in), in.toString());
        FeatureExtractor fx = FeatureExtractors.resolve(features, s.shape());
        ProgressReport report = ProgressReport.on(spec.commandLine().getErr(), "features", "images");
        double[] f = SampleSets.features(fx, s, new org.flowbench.engine.run.ProgressListener() {
            @Override
            public void progress(long done, long total, String what) {
                report.update(done, total);
            }
        });
        GaussianStats g = new GaussianStats(fx.dim());
        g.addBatch(f, s.n());
        ReferenceStats rs = new ReferenceStats(ReferenceStats.Identity.of(dataset == null ? s.source() : dataset,
                split, fx, SampleSets.quantisation(s, fx)), g);
        if (kidFeatures < 0) {
            throw new org.flowbench.engine.FlowbenchException("--kid-features must be 0 or more, got " + kidFeatures);
        }
        if (kidFeatures > 0) {
            rs = rs.withKidFeatures(org.flowbench.engine.metrics.KidEstimator.subsetRows(f, s.n(), fx.dim(),
                    kidFeatures, 0));
        }
        String fmt = format != null ? format : out.getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .endsWith(".npz") ? "npz" : "stats";
        switch (fmt) {
            case "npz" -> rs.writeNpz(out);
            case "stats" -> rs.write(out);
            default -> throw new org.flowbench.engine.FlowbenchException("--format must be stats or npz, got " + fmt);
        }
        if (fx instanceof AutoCloseable c) {
            c.close();
        }
        if (json) {
            spec.commandLine().getOut().println(Cli.json(java.util.Map.of("output", out.toString(), "format", fmt,
                    "n", g.count(), "dim", g.dim(), "features", fx.id())));
            return 0;
        }
        spec.commandLine().getOut().printf("wrote %s: N = %d, d = %d, features %s%n", out, g.count(), g.dim(), fx.id());
        return 0;
    }
}
