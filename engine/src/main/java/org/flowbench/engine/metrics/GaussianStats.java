package org.flowbench.engine.metrics;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;

/**
 * Streaming, mergeable mean and covariance of d-dimensional feature vectors, in double (method reference §5.9).
 *
 * <p>Per sample: Welford's update {@code μ ← μ + δ/n, M2 ← M2 + δ (x − μ_new)ᵀ}. Per batch: the batch's own mean
 * and centred scatter (two-pass, {@code dsyrk} on chunks), merged by Chan's rule
 * {@code M2 = M2_a + M2_b + δδᵀ n_a n_b / n}. The covariance is the unbiased {@code sym(M2)/(n−1)}, like
 * {@code np.cov(rowvar=False)}. Only the upper triangle of M2 is maintained. Not thread-safe: give each thread its
 * own instance and {@link #merge} them.
 */
public final class GaussianStats {
    private static final int MAGIC = 0x46424753; // "FBGS"
    private static final int VERSION = 1;
    /** Rows per dsyrk call: large enough to amortise the call (the d×d matrix crosses JNI each time), ≤ 32 MB. */
    private static int chunkRows(int dim) {
        return Math.max(256, Math.min(4096, (1 << 22) / dim));
    }

    private final int dim;
    private long n;
    private final double[] mean;
    private final double[] m2;
    private final Linalg linalg;

    public GaussianStats(int dim) {
        this(dim, Linalg.get());
    }

    public GaussianStats(int dim, Linalg linalg) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive: " + dim);
        }
        this.dim = dim;
        this.mean = new double[dim];
        this.m2 = new double[Math.multiplyExact(dim, dim)];
        this.linalg = linalg;
    }

    /** Statistics with a given count, mean and covariance (e.g. from an npz file or an exact reference). */
    public static GaussianStats of(long count, double[] mean, double[] covariance) {
        int d = mean.length;
        if (covariance.length != d * d) {
            throw new IllegalArgumentException("covariance must be " + d + " x " + d);
        }
        GaussianStats s = new GaussianStats(d);
        s.n = count;
        System.arraycopy(mean, 0, s.mean, 0, d);
        double f = Math.max(0, count - 1);
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                s.m2[i * d + j] = 0.5 * (covariance[i * d + j] + covariance[j * d + i]) * f;
            }
        }
        return s;
    }

    public int dim() {
        return dim;
    }

    public long count() {
        return n;
    }

    /** A copy of the mean (zeros while empty). */
    public double[] mean() {
        return mean.clone();
    }

    /** Row-major d × d unbiased covariance {@code sym(M2)/(n−1)}; zeros while n < 2. */
    public double[] covariance() {
        double[] c = new double[dim * dim];
        if (n < 2) {
            return c;
        }
        double inv = 1.0 / (n - 1);
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                double v = m2[i * dim + j] * inv;
                c[i * dim + j] = v;
                c[j * dim + i] = v;
            }
        }
        return c;
    }

    /** Trace of the covariance, O(d). */
    public double traceCovariance() {
        if (n < 2) {
            return 0;
        }
        double t = 0;
        for (int i = 0; i < dim; i++) {
            t += m2[i * dim + i];
        }
        return t / (n - 1);
    }

    /** Adds one sample x[offset .. offset+d) by Welford's update. */
    public void add(double[] x, int offset) {
        n++;
        double inv = 1.0 / n;
        double[] delta = new double[dim];
        for (int i = 0; i < dim; i++) {
            double di = x[offset + i] - mean[i];
            delta[i] = di;
            mean[i] += di * inv;
        }
        for (int i = 0; i < dim; i++) {
            double di = delta[i];
            if (di == 0) {
                continue;
            }
            int row = i * dim;
            for (int j = i; j < dim; j++) {
                m2[row + j] += di * (x[offset + j] - mean[j]);
            }
        }
    }

    /** Adds n samples (rows of xs, n × d row-major): two-pass chunk statistics via dsyrk, merged by Chan's rule. */
    public void addBatch(double[] xs, int rows) {
        if (xs.length < (long) rows * dim) {
            throw new IllegalArgumentException("xs holds " + xs.length / dim + " rows, " + rows + " requested");
        }
        int chunk = Math.min(chunkRows(dim), Math.max(1, rows));
        double[] centred = new double[chunk * dim];
        double[] bmean = new double[dim];
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int k = Math.min(chunk, rows - r0);
            Arrays.fill(bmean, 0);
            for (int r = 0; r < k; r++) {
                int off = (r0 + r) * dim;
                for (int i = 0; i < dim; i++) {
                    bmean[i] += xs[off + i];
                }
            }
            for (int i = 0; i < dim; i++) {
                bmean[i] /= k;
            }
            for (int r = 0; r < k; r++) {
                int off = (r0 + r) * dim;
                int co = r * dim;
                for (int i = 0; i < dim; i++) {
                    centred[co + i] = xs[off + i] - bmean[i];
                }
            }
            // M2 += Xcᵀ Xc first (dsyrk into the running upper triangle), then the Chan correction term.
            linalg.syrkUpper(centred, k, dim, m2);
            mergeMoments(k, bmean, null);
        }
    }

    /** Merges another accumulator (same d) into this one. */
    public void merge(GaussianStats other) {
        if (other.dim != dim) {
            throw new FlowbenchException("cannot merge statistics of dimension " + other.dim + " into " + dim);
        }
        if (other.n == 0) {
            return;
        }
        mergeMoments(other.n, other.mean, other.m2);
    }

    /** Chan merge of (nb, μb, M2b) into this; when m2b is null the scatter was already added to m2. */
    private void mergeMoments(long nb, double[] meanB, double[] m2b) {
        long na = n;
        long total = na + nb;
        double[] delta = new double[dim];
        for (int i = 0; i < dim; i++) {
            delta[i] = meanB[i] - mean[i];
        }
        double w = (double) na * nb / total;
        double frac = (double) nb / total;
        for (int i = 0; i < dim; i++) {
            int row = i * dim;
            double di = delta[i] * w;
            if (m2b != null) {
                for (int j = i; j < dim; j++) {
                    m2[row + j] += m2b[row + j] + di * delta[j];
                }
            } else if (di != 0) {
                for (int j = i; j < dim; j++) {
                    m2[row + j] += di * delta[j];
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            mean[i] += delta[i] * frac;
        }
        n = total;
    }

    /** An independent copy. */
    public GaussianStats copy() {
        GaussianStats c = new GaussianStats(dim, linalg);
        c.n = n;
        System.arraycopy(mean, 0, c.mean, 0, dim);
        System.arraycopy(m2, 0, c.m2, 0, m2.length);
        return c;
    }

    // ---- serialisation: little-endian; magic, version, dim, count, mean[d], upper triangle of M2 row by row ----

    /** Writes the binary payload (used inside {@link ReferenceStats} files too). */
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(MAGIC).putInt(VERSION).putInt(dim).putLong(n);
        out.write(head.array());
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dim; i++) {
            buf = put(out, buf, mean[i]);
        }
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                buf = put(out, buf, m2[i * dim + j]);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static ByteBuffer put(OutputStream out, ByteBuffer buf, double v) throws IOException {
        if (!buf.hasRemaining()) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return buf.putDouble(v);
    }

    /** The binary payload as bytes (a shard's statistics in a sweep). */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What {@link #toBytes} wrote. */
    public static GaussianStats fromBytes(byte[] bytes, String name) {
        try {
            return readFrom(new java.io.ByteArrayInputStream(bytes), name);
        } catch (IOException e) {
            throw new FlowbenchException(name + ": corrupt statistics (" + e.getMessage() + ")");
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    public static GaussianStats readFrom(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] h = new byte[20];
        in.readFully(h);
        ByteBuffer head = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (head.getInt() != MAGIC) {
            throw new FlowbenchException(name + " does not hold Flowbench statistics (bad magic)");
        }
        int version = head.getInt();
        if (version != VERSION) {
            throw new FlowbenchException(name + ": statistics format version " + version + " is not supported");
        }
        int d = head.getInt();
        long count = head.getLong();
        if (d <= 0 || d > 65536 || count < 0) {
            throw new FlowbenchException(name + ": corrupt statistics header (dim " + d + ", count " + count + ")");
        }
        GaussianStats s = new GaussianStats(d);
        s.n = count;
        long values = d + (long) d * (d + 1) / 2;
        byte[] buf = new byte[8 * 4096];
        long done = 0;
        int i = 0;
        int j = 0;
        while (done < values) {
            int chunk = (int) Math.min(4096, values - done);
            in.readFully(buf, 0, chunk * 8);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, chunk * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < chunk; c++, done++) {
                double v = bb.getDouble();
                if (done < d) {
                    s.mean[(int) done] = v;
                } else {
                    s.m2[i * d + j] = v;
                    if (++j == d) {
                        i++;
                        j = i;
                    }
                }
            }
        }
        return s;
    }

    /** Writes these statistics to a file atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, this::writeTo, false);
    }

    public static GaussianStats read(Path file) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return readFrom(in, file.toString());
        } catch (java.io.EOFException e) {
            throw new FlowbenchException(file + ": statistics file is truncated");
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
