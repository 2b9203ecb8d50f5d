package org.flowbench.samplers.onestep;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;

/**
 * Teacher pairs (z, x1 = Φ_teacher(z)) for reflow and distillation: z is the initial noise of image i of the seed
 * (the samplers' own noise, so the pair set is a pure function of teacher, solver and seed), x1 the teacher's ODE
 * solution from it. Class-conditional teachers get balanced labels plus an unconditional share: pair i has class
 * i mod (C + 1), where C means "no class".
 *
 * <p>Generation runs in chunks; each finished chunk is a file, so an interrupted run resumes at the first missing
 * chunk with identical results. When all chunks are done the set is written as {@code z.npy}, {@code x1.npy},
 * {@code labels.npy} (float32; −1 = unconditional) with the manifest {@code pairs.json}.
 */
public final class TeacherPairs {
    public static final String MANIFEST = "pairs.json";
    public static final String FORMAT = "flowbench-pairs/1";

    /** What a pair set is made from; two sets with the same settings are identical. */
    public record Settings(String teacher, String teacherHash, int n, String solver, int steps, long seed, int chunk) {
        public Settings {
            if (n < 1) {
                throw new FlowbenchException("--n must be at least 1");
            }
            if (!solver.equals("heun") && !solver.equals("rk45")) {
                throw new FlowbenchException("--solver must be heun or rk45, not " + solver);
            }
            if (solver.equals("heun") && steps < 1) {
                throw new FlowbenchException("--steps must be at least 1 for heun");
            }
            if (chunk < 1) {
                throw new FlowbenchException("--chunk must be at least 1");
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("teacher", teacher);
            m.put("teacherHash", teacherHash);
            m.put("n", n);
            m.put("solver", solver);
            m.put("steps", solver.equals("heun") ? steps : 0);
            m.put("seed", seed);
            m.put("chunk", chunk);
            return m;
        }
    }

    /** A loaded pair set: n noises and teacher outputs (n × dim, float32), labels (−1: none), the manifest. */
    public record Pairs(int n, int[] shape, float[] z, float[] x1, int[] labels, Map<String, Object> manifest) {
        public int dim() {
            int d = 1;
            for (int s : shape) {
                d *= s;
            }
            return d;
        }
    }

    /** Progress of a generation run: pairs done (this run and before), total, seconds this run. */
    @FunctionalInterface
    public interface Listener {
        void progress(int done, int total, int doneBefore, double seconds);
    }

    private TeacherPairs() {}

    /** Label of pair i: class i mod (C + 1), the last being "no class"; always none for an unconditional teacher. */
    public static int label(long i, int classes) {
        if (classes == 0) {
            return -1;
        }
        int l = (int) (i % (classes + 1));
        return l == classes ? -1 : l;
    }

    /** The sampler that solves the teacher's ODE for these settings. */
    static Sampler solver(Settings s) {
        Map<String, String> p = new LinkedHashMap<>();
        if (s.solver().equals("heun")) {
            p.put("steps", Integer.toString(s.steps()));
            p.put("grid", "uniform");
        }
        return SamplerRegistry.create(s.solver(), p);
    }

    /**
     * Generates (or continues) the pair set in {@code dir}. Returns true when the set is complete, false when
     * cancelled (finished chunks are kept).
     */
    public static boolean generate(FlowModel teacher, Settings s, int batch, Path dir, String command,
                                   Listener listener, CancellationToken cancel) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        Map<String, Object> m;
        if (Files.exists(manifest)) {
            m = readManifest(dir);
            @SuppressWarnings("unchecked")
            Map<String, Object> was = (Map<String, Object>) m.get("settings");
            // compared as parsed JSON: numbers read back may have another Java type than the ones written
            String now = Json.COMPACT.writeValueAsString(s.toMap());
            if (!Json.MAPPER.readTree(Json.COMPACT.writeValueAsString(was)).equals(Json.MAPPER.readTree(now))) {
                throw new FlowbenchException(dir + " holds pairs made with " + Json.COMPACT.writeValueAsString(was)
                        + ", not " + Json.COMPACT.writeValueAsString(s.toMap()), "choose another --out");
            }
            if (Boolean.TRUE.equals(m.get("complete"))) {
                return true;
            }
        } else {
            m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("settings", s.toMap());
            m.put("command", command);
            m.put("shape", teacher.shape());
            m.put("classNames", teacher.classNames());
            int c = teacher.classNames().size();
            m.put("labels", c == 0 ? "none (unconditional teacher)"
                    : "pair i has class i mod " + (c + 1) + "; " + c + " = unconditional (stored as -1)");
            Sampler sm = solver(s);
            m.put("sampler", Map.of("id", sm.id(), "version", sm.version(), "config", sm.config().toString()));
            m.put("complete", false);
            writeManifest(dir, m);
        }
        Sampler sampler = solver(s);
        int d = teacher.dim();
        int classes = teacher.classNames().size();
        int chunks = (s.n() + s.chunk() - 1) / s.chunk();
        Path chunkDir = dir.resolve("chunks");
        Files.createDirectories(chunkDir);
        int before = 0;
        for (int k = 0; k < chunks; k++) {
            if (Files.exists(chunkFile(chunkDir, k))) {
                before += Math.min(s.chunk(), s.n() - k * s.chunk());
            }
        }
        long t0 = System.nanoTime();
        int done = before;
        double nfe = ((Number) m.getOrDefault("networkEvaluations", 0)).doubleValue();
        double wall = ((Number) m.getOrDefault("wallSeconds", 0)).doubleValue();
        for (int k = 0; k < chunks; k++) {
            Path f = chunkFile(chunkDir, k);
            if (Files.exists(f)) {
                continue;
            }
            if (cancel.isCancelled()) {
                return false;
            }
            int first = k * s.chunk();
            int count = Math.min(s.chunk(), s.n() - first);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = label(first + i, classes);
            }
            long c0 = System.nanoTime();
            SampleBatch b = sampler.sample(new SamplingRequest(s.seed(), first, count, batch, labels, 0), teacher,
                    ProgressListener.NONE, cancel);
            if (b.count() < count) {
                return false; // cancelled mid-chunk: the chunk is redone on resume
            }
            int[] shape = new int[teacher.shape().length + 1];
            shape[0] = count;
            System.arraycopy(teacher.shape(), 0, shape, 1, teacher.shape().length);
            Npy.writeFloat32(f, shape, b.samples());
            for (long v : b.nfe()) {
                nfe += v;
            }
            wall += (System.nanoTime() - c0) / 1e9;
            m.put("networkEvaluations", nfe);
            m.put("wallSeconds", Math.round(wall));
            writeManifest(dir, m);
            done += count;
            listener.progress(done, s.n(), before, (System.nanoTime() - t0) / 1e9);
        }
        // all chunks: the final arrays, then the manifest that marks the set complete, then the chunks go
        int[] shape = new int[teacher.shape().length + 1];
        shape[0] = s.n();
        System.arraycopy(teacher.shape(), 0, shape, 1, teacher.shape().length);
        double[] x1 = new double[s.n() * d];
        double[] z = new double[s.n() * d];
        double[] lab = new double[s.n()];
        for (int k = 0; k < chunks; k++) {
            Npy.Array a = Npy.read(chunkFile(chunkDir, k));
            System.arraycopy(a.data(), 0, x1, k * s.chunk() * d, a.data().length);
        }
        for (int i = 0; i < s.n(); i++) {
            NoiseSource.gaussian(s.seed(), i, 0, z, i * d, d);
            lab[i] = label(i, classes);
        }
        Npy.writeFloat32(dir.resolve("z.npy"), shape, z);
        Npy.writeFloat32(dir.resolve("x1.npy"), shape, x1);
        Npy.writeFloat32(dir.resolve("labels.npy"), new int[] {s.n()}, lab);
        m.put("nfePerPair", nfe / s.n());
        m.put("complete", true);
        writeManifest(dir, m);
        for (int k = 0; k < chunks; k++) {
            Files.deleteIfExists(chunkFile(chunkDir, k));
        }
        Files.deleteIfExists(chunkDir);
        return true;
    }

    private static Path chunkFile(Path chunkDir, int k) {
        return chunkDir.resolve(String.format(java.util.Locale.ROOT, "x1-%05d.npy", k));
    }

    static Map<String, Object> readManifest(Path dir) {
        Path f = dir.resolve(MANIFEST);
        try {
            Map<String, Object> m = Json.MAPPER.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
            if (!FORMAT.equals(m.get("format"))) {
                throw new FlowbenchException(f + " is not a Flowbench pair set (format " + m.get("format") + ")");
            }
            return m;
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + f + ": " + e.getMessage());
        }
    }

    /** Records a measurement (e.g. the flip check) in a pair set's manifest. */
    public static void annotate(Path dir, String key, Object value) throws IOException {
        Map<String, Object> m = readManifest(dir);
        m.put(key, value);
        writeManifest(dir, m);
    }

    private static void writeManifest(Path dir, Map<String, Object> m) throws IOException {
        AtomicFiles.write(dir.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(m));
    }

    /** Loads a complete pair set. */
    public static Pairs load(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new FlowbenchException("no pair set in " + dir + " (no " + MANIFEST + ")",
                    "make one with flowbench train slimflow pairs --out " + dir);
        }
        Map<String, Object> m = readManifest(dir);
        if (!Boolean.TRUE.equals(m.get("complete"))) {
            throw new FlowbenchException("the pair set in " + dir + " is incomplete",
                    "finish it: run the same flowbench train slimflow pairs command again");
        }
        Npy.Array z = Npy.read(dir.resolve("z.npy"));
        Npy.Array x1 = Npy.read(dir.resolve("x1.npy"));
        Npy.Array l = Npy.read(dir.resolve("labels.npy"));
        if (!Arrays.equals(z.shape(), x1.shape()) || l.data().length != z.rows()) {
            throw new FlowbenchException("the pair set in " + dir + " is inconsistent: z " + Arrays.toString(z.shape())
                    + ", x1 " + Arrays.toString(x1.shape()) + ", labels " + l.data().length);
        }
        int[] shape = Arrays.copyOfRange(z.shape(), 1, z.shape().length);
        int[] labels = new int[l.data().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) l.data()[i];
        }
        return new Pairs(z.rows(), shape, toFloat(z.data()), toFloat(x1.data()), labels, m);
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** The settings recorded in a pair set's manifest (teacher, solver, steps, seed, n). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> settingsOf(Pairs p) {
        return (Map<String, Object>) p.manifest().get("settings");
    }

    /**
     * How far the teacher's map is from commuting with a horizontal flip: for {@code count} noises z (seed, images
     * 0..count−1, labels as in the pair set) E‖Φ(z) − flip Φ(flip z)‖² relative to E‖Φ(z) − Φ(z')‖² for z' another
     * noise of the same label, Φ by Heun with {@code steps} uniform steps. 0 = exactly flip-equivariant, about 1 = as
     * different as unrelated samples. Horizontal flips of training pairs are valid only when this is small.
     */
    public static Map<String, Object> flipCheck(FlowModel teacher, int count, int steps, long seed) {
        int d = teacher.dim();
        int classes = teacher.classNames().size();
        int[] labels = new int[count];
        double[] z = new double[count * d];
        double[] zf = new double[count * d];
        for (int i = 0; i < count; i++) {
            labels[i] = label(i, classes);
            NoiseSource.gaussian(seed, i, 0, z, i * d, d);
        }
        System.arraycopy(z, 0, zf, 0, z.length);
        flipW(zf, count, teacher.shape());
        double[] a = heun(teacher, z, count, labels, steps);
        double[] b = heun(teacher, zf, count, labels, steps);
        flipW(b, count, teacher.shape());
        int period = classes == 0 ? 1 : classes + 1;
        double[] gap = new double[period];
        double[] spread = new double[period];
        int[] count1 = new int[period];
        int[] count2 = new int[period];
        for (int i = 0; i < count; i++) {
            int g = i % period;
            int j = i + period < count ? i + period : -1; // the next noise with the same label
            for (int k = 0; k < d; k++) {
                double e = a[i * d + k] - b[i * d + k];
                gap[g] += e * e;
                if (j >= 0) {
                    double f = a[i * d + k] - a[j * d + k];
                    spread[g] += f * f;
                }
            }
            count1[g]++;
            count2[g] += j >= 0 ? 1 : 0;
        }
        double gapAll = 0;
        double spreadAll = 0;
        Map<String, Object> perLabel = new LinkedHashMap<>();
        for (int g = 0; g < period; g++) {
            gapAll += gap[g];
            spreadAll += spread[g];
            String name = classes == 0 || g == classes ? "unconditional" : teacher.classNames().get(g);
            perLabel.put(name, count2[g] == 0 ? Double.NaN : (gap[g] / count1[g]) / (spread[g] / count2[g]));
        }
        int pairs = java.util.Arrays.stream(count2).sum();
        gapAll /= count;
        spreadAll /= Math.max(1, pairs);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("noises", count);
        r.put("solver", "heun, " + steps + " uniform steps");
        r.put("meanSquaredGap", gapAll);
        r.put("meanSquaredSpread", spreadAll);
        r.put("relativeGap", gapAll / spreadAll);
        r.put("relativeGapPerLabel", perLabel);
        return r;
    }

    /** Heun with uniform steps from t = 0 to 1 on states x (n × dim), in place on a copy. */
    private static double[] heun(FlowModel m, double[] x0, int n, int[] labels, int steps) {
        int d = m.dim();
        double[] x = x0.clone();
        double[] v1 = new double[n * d];
        double[] v2 = new double[n * d];
        double[] xe = new double[n * d];
        double[] t = new double[n];
        double h = 1.0 / steps;
        for (int s = 0; s < steps; s++) {
            Arrays.fill(t, s * h);
            m.velocityAt(x, n, t, labels, v1);
            for (int i = 0; i < x.length; i++) {
                xe[i] = x[i] + h * v1[i];
            }
            Arrays.fill(t, (s + 1) * h);
            m.velocityAt(xe, n, t, labels, v2);
            for (int i = 0; i < x.length; i++) {
                x[i] += 0.5 * h * (v1[i] + v2[i]);
            }
        }
        return x;
    }

    /** Mirrors each of n images (shape [..., w]) along its last axis, in place. */
    public static void flipW(double[] x, int n, int[] shape) {
        int w = shape[shape.length - 1];
        int rows = x.length / w;
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                double tmp = x[o + i];
                x[o + i] = x[o + j];
                x[o + j] = tmp;
            }
        }
    }

    /** Mirrors float images along their last axis (width w), in place, for rows [from, to) of width w. */
    public static void flipW(float[] x, int w) {
        for (int o = 0; o < x.length; o += w) {
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                float tmp = x[o + i];
                x[o + i] = x[o + j];
                x[o + j] = tmp;
            }
        }
    }

    /** Names of a set's files, for a package's provenance. */
    public static List<String> files() {
        return List.of(MANIFEST, "z.npy", "x1.npy", "labels.npy");
    }
}
