package org.flowbench.engine.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * Feature statistics together with their identity: which data (dataset, split, count) and how they were measured
 * (feature extractor id and hash, preprocessing, quantisation).
 *
 * <p>File format ({@code .stats}): the 8 bytes {@code FBSTATS1}, a little-endian int32 header length, a UTF-8 JSON
 * header ({@code format}, {@code identity}, {@code dim}, {@code count}, {@code payload}), then the
 * {@link GaussianStats} binary payload (little-endian: magic, version, dim, count, mean[d] float64, upper triangle of
 * the scatter matrix M2 row by row, float64; covariance = M2/(count−1)). Optionally ({@code kidFeatures: m} in the
 * header) m reference feature rows follow as little-endian float32 [m, dim]: a seeded subset of the reference set
 * that KID needs (KID compares feature sets, not moments); files without them read as before and give no KID.
 * Written atomically.
 *
 * <p>Comparability: two statistics can be compared only if their measurement identity matches (extractor, hash,
 * preprocessing, quantisation, dimension); the data identity (dataset, split, count) is what is being compared.
 */
public final class ReferenceStats {
    private static final byte[] MAGIC = "FBSTATS1".getBytes(StandardCharsets.US_ASCII);
    public static final String FORMAT = "flowbench-stats/1";

    /** Who the statistics describe and how they were measured. count is filled in from the statistics. */
    public record Identity(String dataset, String split, long count, String extractor, String extractorHash,
            String preprocessing, String quantisation) {
        public Identity {
            dataset = orDash(dataset);
            split = orDash(split);
            extractor = orDash(extractor);
            extractorHash = orDash(extractorHash);
            preprocessing = orDash(preprocessing);
            quantisation = orDash(quantisation);
        }

        /** Identity of features made by an extractor. */
        public static Identity of(String dataset, String split, FeatureExtractor fx, String quantisation) {
            return new Identity(dataset, split, 0, fx.id(), fx.hash(), fx.preprocessing(), quantisation);
        }

        Identity withCount(long n) {
            return new Identity(dataset, split, n, extractor, extractorHash, preprocessing, quantisation);
        }

        private static String orDash(String s) {
            return s == null || s.isBlank() ? "-" : s;
        }
    }

    private final Identity identity;
    private final GaussianStats stats;

    public ReferenceStats(Identity identity, GaussianStats stats) {
        this(identity, stats, true);
    }

    private ReferenceStats(Identity identity, GaussianStats stats, boolean countKnown) {
        this(identity, stats, countKnown, null);
    }

    private ReferenceStats(Identity identity, GaussianStats stats, boolean countKnown, double[] kidFeatures) {
        this.stats = Objects.requireNonNull(stats);
        this.identity = Objects.requireNonNull(identity).withCount(stats.count());
        this.countKnown = countKnown;
        if (kidFeatures != null && kidFeatures.length % stats.dim() != 0) {
            throw new IllegalArgumentException("KID features are not whole rows of dimension " + stats.dim());
        }
        this.kidFeatures = kidFeatures;
    }

    private final boolean countKnown;
    private final double[] kidFeatures;

    /** These statistics with m reference feature rows (m × dim) kept for KID. */
    public ReferenceStats withKidFeatures(double[] features) {
        return new ReferenceStats(identity, stats, countKnown, features.clone());
    }

    /** The reference feature rows kept for KID (m × dim, a copy), or null when the file has none. */
    public double[] kidFeatures() {
        return kidFeatures == null ? null : kidFeatures.clone();
    }

    /** How many reference feature rows are kept for KID (0 when none). */
    public int kidFeatureCount() {
        return kidFeatures == null ? 0 : kidFeatures.length / dim();
    }

    /** Whether the sample count is known (an .npz without one reports 2 for its covariance's sake). */
    public boolean countKnown() {
        return countKnown;
    }

    public Identity identity() {
        return identity;
    }

    public GaussianStats stats() {
        return stats;
    }

    public int dim() {
        return stats.dim();
    }

    public long count() {
        return stats.count();
    }

    /**
     * Throws a {@link FlowbenchException} naming the first difference if the two cannot be compared; statistics of
     * unknown measurement (.npz) are checked for their dimension only (see {@link #comparabilityWarning}).
     */
    public void requireComparable(ReferenceStats other) {
        if (!measurementKnown() || !other.measurementKnown()) {
            if (dim() != other.dim()) {
                throw new FlowbenchException("feature dimensions differ: " + dim() + " vs " + other.dim(),
                        "the .npz statistics were made with another feature extractor");
            }
            return;
        }
        requireComparable(identity, dim(), other.identity, other.dim());
    }

    public static void requireComparable(Identity a, int dimA, Identity b, int dimB) {
        String hint = "compute both statistics with the same feature extractor, preprocessing and quantisation";
        check("feature extractor", a.extractor(), b.extractor(), hint);
        check("feature extractor hash", a.extractorHash(), b.extractorHash(), hint);
        check("preprocessing", a.preprocessing(), b.preprocessing(), hint);
        check("quantisation", a.quantisation(), b.quantisation(), hint);
        if (dimA != dimB) {
            throw new FlowbenchException("feature dimensions differ: " + dimA + " vs " + dimB, hint);
        }
    }

    private static void check(String what, String a, String b, String hint) {
        if (!a.equals(b)) {
            throw new FlowbenchException("statistics are not comparable: " + what + " differs ('" + a + "' vs '" + b
                    + "')", hint);
        }
    }

    /** FID between these statistics and other, after checking that they are comparable. */
    public double fid(ReferenceStats other) {
        requireComparable(other);
        return Frechet.distance(stats, other.stats);
    }

    /** The cached-root reference for repeated distances (live panels, bootstrap). */
    public Frechet.Reference reference() {
        return new Frechet.Reference(stats);
    }

    public void write(Path file) throws IOException {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("format", FORMAT);
        h.set("identity", Json.MAPPER.valueToTree(identity));
        h.put("dim", stats.dim());
        h.put("count", stats.count());
        h.put("payload", "GaussianStats v1: little-endian float64 mean[dim], upper triangle of M2 (covariance = M2/(count-1))"
                + (kidFeatures == null ? "" : "; then kidFeatures rows of little-endian float32 [kidFeatures, dim]"));
        if (kidFeatures != null) {
            h.put("kidFeatures", kidFeatureCount());
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(h);
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(json.length).array());
            out.write(json);
            stats.writeTo(out);
            if (kidFeatures != null) {
                ByteBuffer b = ByteBuffer.allocate(kidFeatures.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : kidFeatures) {
                    b.putFloat((float) v);
                }
                out.write(b.array());
            }
        }, false);
    }

    /** The extractor of statistics whose measurement is unknown (an .npz from another tool). */
    public static final String UNKNOWN = "unknown (npz)";

    /**
     * Statistics of unknown measurement (an .npz) taken as made with this extractor from samples quantised as
     * {@code quantisation}: the user's word, for comparing them with Flowbench's own measurements.
     */
    public ReferenceStats measuredAs(FeatureExtractor fx, String quantisation) {
        Identity id = new Identity(identity.dataset(), identity.split(), identity.count(), fx.id(), fx.hash(),
                fx.preprocessing(), quantisation);
        return new ReferenceStats(id, stats, countKnown, kidFeatures);
    }

    /** Whether the measurement identity is known (false for statistics read from an .npz). */
    public boolean measurementKnown() {
        return !UNKNOWN.equals(identity.extractor());
    }

    /**
     * Null when the two were measured the same way; otherwise, when one side's measurement is unknown (an .npz),
     * the warning to give: they are compared on trust, by dimension only.
     */
    public String comparabilityWarning(ReferenceStats other) {
        if (measurementKnown() && other.measurementKnown()) {
            return null;
        }
        ReferenceStats unknown = measurementKnown() ? other : this;
        return unknown.identity.dataset() + " does not say how its features were made (extractor, preprocessing, "
                + "quantisation): FID assumes they match the other side's";
    }

    /** True if the file starts with the stats magic, or is an .npz of statistics (mu and sigma). */
    public static boolean isStatsFile(Path file) {
        if (org.flowbench.engine.io.Npz.isNpz(file)) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] m = in.readNBytes(MAGIC.length);
            return Arrays.equals(m, MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    public static ReferenceStats read(Path file) {
        if (org.flowbench.engine.io.Npz.isNpz(file)) {
            return readNpz(file);
        }
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream in = new DataInputStream(raw);
            byte[] m = new byte[MAGIC.length];
            in.readFully(m);
            if (!Arrays.equals(m, MAGIC)) {
                throw new FlowbenchException(file + " is not a Flowbench statistics file",
                        "make one with 'flowbench stats --in ... --features ... --out " + file.getFileName() + "'");
            }
            byte[] lenBytes = new byte[4];
            in.readFully(lenBytes);
            int len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (len <= 0 || len > (1 << 24)) {
                throw new FlowbenchException(file + ": corrupt statistics header");
            }
            byte[] json = new byte[len];
            in.readFully(json);
            JsonNode h = Json.MAPPER.readTree(json);
            if (!FORMAT.equals(h.path("format").asText())) {
                throw new FlowbenchException(file + ": unsupported statistics format '" + h.path("format").asText() + "'");
            }
            Identity id = Json.MAPPER.treeToValue(h.get("identity"), Identity.class);
            GaussianStats s = GaussianStats.readFrom(in, file.toString());
            if (s.dim() != h.path("dim").asInt() || s.count() != h.path("count").asLong()) {
                throw new FlowbenchException(file + ": header and payload disagree on dim/count");
            }
            int rows = h.path("kidFeatures").asInt(0);
            if (rows < 0 || (long) rows * s.dim() > (1 << 26)) {
                throw new FlowbenchException(file + ": corrupt statistics header (kidFeatures " + rows + ")");
            }
            double[] kid = null;
            if (rows > 0) {
                byte[] raw4 = new byte[rows * s.dim() * 4];
                in.readFully(raw4);
                ByteBuffer b = ByteBuffer.wrap(raw4).order(ByteOrder.LITTLE_ENDIAN);
                kid = new double[rows * s.dim()];
                for (int i = 0; i < kid.length; i++) {
                    kid[i] = b.getFloat();
                }
            }
            return new ReferenceStats(id, s, true, kid);
        } catch (java.io.EOFException e) {
            throw new FlowbenchException(file + ": statistics file is truncated");
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Statistics from an .npz with {@code mu} [d] and {@code sigma} [d, d] (pytorch-fid, clean-fid, numpy.savez),
     * and the sample count when the archive has one ({@code n}, {@code count} or {@code num_samples}); the measurement
     * is unknown. Without a count the statistics keep the covariance exactly and report a count of 2.
     */
    static ReferenceStats readNpz(Path file) {
        Map<String, org.flowbench.engine.io.Npy.Array> a = org.flowbench.engine.io.Npz.read(file);
        org.flowbench.engine.io.Npy.Array mu = a.get("mu");
        org.flowbench.engine.io.Npy.Array sigma = a.get("sigma");
        if (mu == null || sigma == null) {
            throw new FlowbenchException(file + " has no mu and sigma arrays (it has " + a.keySet() + ")",
                    "statistics in .npz form are written by pytorch-fid, clean-fid or numpy.savez(f, mu=, sigma=)");
        }
        int d = mu.data().length;
        if (sigma.data().length != (long) d * d || mu.shape().length != 1) {
            throw new FlowbenchException(file + ": mu has shape " + Arrays.toString(mu.shape()) + " and sigma "
                    + Arrays.toString(sigma.shape()) + "; expected [d] and [d, d]");
        }
        long count = 2;
        boolean known = false;
        for (String k : List.of("n", "count", "num_samples")) {
            if (a.containsKey(k) && a.get(k).data().length == 1) {
                count = Math.max(2, (long) a.get(k).data()[0]);
                known = true;
            }
        }
        GaussianStats g = GaussianStats.of(count, mu.data(), sigma.data());
        return new ReferenceStats(new Identity(file.getFileName().toString(), "npz", count, UNKNOWN, "", "unknown",
                "unknown"), g, known);
    }

    /** Writes mu and sigma (and n) as an .npz that pytorch-fid, clean-fid and numpy read. */
    public void writeNpz(Path file) throws IOException {
        Map<String, org.flowbench.engine.io.Npz.Entry> m = new LinkedHashMap<>();
        int d = dim();
        m.put("mu", new org.flowbench.engine.io.Npz.Entry(new int[] {d}, stats.mean()));
        m.put("sigma", new org.flowbench.engine.io.Npz.Entry(new int[] {d, d}, stats.covariance()));
        m.put("n", new org.flowbench.engine.io.Npz.Entry(new int[0], new double[] {count()}));
        org.flowbench.engine.io.Npz.write(file, m);
    }
}
