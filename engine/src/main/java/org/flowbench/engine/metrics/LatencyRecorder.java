package org.flowbench.engine.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * Latency and cost of a sampling run: per-batch and per-image latency (HdrHistogram, nanoseconds, 3 significant
 * digits), the first (cold) batch kept apart from the warm ones, images/s, NFE per image, and the process's peak and
 * current resident memory (Linux {@code /proc/self/status} VmHWM/VmRSS; -1 where unavailable).
 * Thread-safe (methods are synchronised; recording is cheap).
 */
public final class LatencyRecorder {
    private static final long MAX_NANOS = 3_600_000_000_000L; // one hour

    private final Histogram batchWarm = new Histogram(MAX_NANOS, 3);
    private final Histogram imageWarm = new Histogram(MAX_NANOS, 3);
    private long coldBatchNanos = -1;
    private int coldImages;
    private long warmNanos;
    private long warmImages;
    private long totalImages;
    private long totalNfe;

    /** Records one batch of {@code images} images that took {@code nanos} and used {@code nfe} network evaluations in total. */
    public synchronized void recordBatch(int images, long nanos, long nfe) {
        if (images <= 0 || nanos < 0) {
            throw new IllegalArgumentException("images must be positive and nanos non-negative");
        }
        long clamped = Math.min(MAX_NANOS, nanos);
        totalImages += images;
        totalNfe += Math.max(0, nfe);
        if (coldBatchNanos < 0) {
            coldBatchNanos = clamped;
            coldImages = images;
            return;
        }
        batchWarm.recordValue(clamped);
        imageWarm.recordValueWithCount(Math.max(1, clamped / images), images);
        warmNanos += clamped;
        warmImages += images;
    }

    /** A point-in-time summary. Times in milliseconds; NaN where there is no data yet. */
    public record Snapshot(double coldBatchMs, double coldPerImageMs, long warmBatches, double batchP50Ms,
            double batchP95Ms, double batchP99Ms, double imageP50Ms, double imageP95Ms, double imageP99Ms,
            double imageMaxMs, double imagesPerSecond, double nfePerImage, long images, long peakRssBytes, long rssBytes) {}

    public synchronized Snapshot snapshot() {
        long[] mem = memory();
        boolean warm = batchWarm.getTotalCount() > 0;
        double nan = Double.NaN;
        return new Snapshot(
                coldBatchNanos < 0 ? nan : coldBatchNanos / 1e6,
                coldBatchNanos < 0 ? nan : coldBatchNanos / 1e6 / coldImages,
                batchWarm.getTotalCount(),
                warm ? batchWarm.getValueAtPercentile(50) / 1e6 : nan,
                warm ? batchWarm.getValueAtPercentile(95) / 1e6 : nan,
                warm ? batchWarm.getValueAtPercentile(99) / 1e6 : nan,
                warm ? imageWarm.getValueAtPercentile(50) / 1e6 : nan,
                warm ? imageWarm.getValueAtPercentile(95) / 1e6 : nan,
                warm ? imageWarm.getValueAtPercentile(99) / 1e6 : nan,
                warm ? imageWarm.getMaxValue() / 1e6 : nan,
                warm && warmNanos > 0 ? warmImages * 1e9 / warmNanos : nan,
                totalImages == 0 ? nan : (double) totalNfe / totalImages,
                totalImages,
                mem[0],
                mem[1]);
    }

    public synchronized void reset() {
        batchWarm.reset();
        imageWarm.reset();
        coldBatchNanos = -1;
        coldImages = 0;
        warmNanos = 0;
        warmImages = 0;
        totalImages = 0;
        totalNfe = 0;
    }

    /**
     * {peak, current} resident bytes from one read of /proc/self/status; the kernel updates VmHWM lazily, so the
     * peak is reported as max(VmHWM, VmRSS). {-1, -1} where the file does not exist (non-Linux).
     */
    static long[] memory() {
        long hwm = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = parseKb(line.substring(6)) * 1024L;
                } else if (line.startsWith("VmRSS:")) {
                    rss = parseKb(line.substring(6)) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return new long[] {hwm < 0 ? rss : Math.max(hwm, rss), rss};
    }

    static long parseKb(String rest) {
        String t = rest.trim();
        int sp = t.indexOf(' ');
        return Long.parseLong(sp < 0 ? t : t.substring(0, sp));
    }
}
