package org.flowbench.app.session;

import java.io.Serializable;
import org.flowbench.engine.metrics.GaussianStats;

/**
 * What one shard of a lane (images firstImage … firstImage + count − 1 of a run) contributes to the lane's quality
 * figures, merged in image order by {@link QualityEvaluator#merge} on the machine that reports (a sweep's driver).
 * Image models: the feature statistics (count, mean and co-moments in float64, merged by Chan's formula), the
 * chunks of the FID extrapolation, and the feature rows among the run's first {@value FeatureQuality#KEEP} images
 * (KID and the bootstrap need rows). Analytic models: the samples themselves and the batches they came in.
 */
public record QualityPart(long firstImage, long count, byte[] stats, byte[][] chunks, double[] keptFeatures,
        double[] samples, int[] batches) implements Serializable {
    private static final long serialVersionUID = 1L;

    static QualityPart features(long firstImage, long count, byte[] stats, GaussianStats[] chunks, double[] kept) {
        byte[][] c = new byte[chunks.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = chunks[i].toBytes();
        }
        return new QualityPart(firstImage, count, stats, c, kept, null, null);
    }

    static QualityPart samples(long firstImage, long count, double[] samples, int[] batches) {
        return new QualityPart(firstImage, count, null, null, null, samples, batches);
    }

    GaussianStats[] chunkStats() {
        GaussianStats[] s = new GaussianStats[chunks.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = GaussianStats.fromBytes(chunks[i], "shard chunk " + i);
        }
        return s;
    }
}
