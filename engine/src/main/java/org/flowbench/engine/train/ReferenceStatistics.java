package org.flowbench.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import org.flowbench.engine.data.FashionMnist;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.KidEstimator;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FeatureExtractor;
import org.flowbench.engine.model.pkg.ClassifierModel;
import org.flowbench.engine.model.pkg.ModelPackage;

/**
 * Reference statistics of the Fashion-MNIST test split in the built-in classifier's 128-d feature space, shipped in
 * the classifier package as {@value #FILE} so that domain FID needs no dataset at run time, with a seeded subset of
 * {@value KidEstimator#DEFAULT_REFERENCE_ROWS} test features for KID.
 */
public final class ReferenceStatistics {
    public static final String FILE = "fashion-mnist-test.stats";

    private ReferenceStatistics() {}

    public static ReferenceStats compute(FeatureExtractor fx, ImageDataset ds, String split) {
        GaussianStats g = new GaussianStats(fx.dim());
        double[] all = new double[ds.size() * fx.dim()];
        int d = ds.dim();
        int chunk = 500;
        double[] x = new double[chunk * d];
        double[] f = new double[chunk * fx.dim()];
        for (int s = 0; s < ds.size(); s += chunk) {
            int n = Math.min(chunk, ds.size() - s);
            for (int i = 0; i < n * d; i++) {
                x[i] = ds.pixels()[s * d + i];
            }
            fx.features(x, n, f);
            g.addBatch(n == chunk ? f : java.util.Arrays.copyOf(f, n * fx.dim()), n);
            System.arraycopy(f, 0, all, s * fx.dim(), n * fx.dim());
        }
        return new ReferenceStats(ReferenceStats.Identity.of("fashion-mnist", split, fx,
                org.flowbench.engine.metrics.Quantisation.UINT8), g).withKidFeatures(KidEstimator.subsetRows(all,
                ds.size(), fx.dim(), KidEstimator.DEFAULT_REFERENCE_ROWS, 0));
    }

    /** Computes and writes the test-split statistics into the classifier package folder. */
    public static Path write(Path classifierDir, Path data) throws IOException {
        ImageDataset test = FashionMnist.load(data, "test");
        try (ClassifierModel fx = ClassifierModel.open(ModelPackage.open(classifierDir))) {
            ReferenceStats rs = compute(fx, test, "test");
            Path out = classifierDir.resolve(FILE);
            rs.write(out);
            return out;
        }
    }
}
