package org.flowbench.samplers.boss;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.TrainableNetwork;
import org.flowbench.engine.model.pkg.MlpFlowModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.Trainer;
import org.flowbench.engine.train.VelocityRegression;

/**
 * Phase 2 of BOSS (straightening) on top of the project's {@link Trainer}:
 *
 * <ol>
 *   <li>{@link #trainTeacher}: a {@link VelocityMlp} trained by flow matching on an analytic mixture
 *       (x_t = t·x1 + (1−t)·x0, target x1 − x0, t ~ U(0, 1)): the "pretrained" model;</li>
 *   <li>{@link #tuples}: S noises integrated with the teacher's N-step uniform Euler; for every Bellman interval
 *       k &lt; K the tuple (z0 = X_{i_k}, z1 = X_{i_{k+1}}, t0 = s_{i_k}, t1 = s_{i_{k+1}});</li>
 *   <li>{@link #fineTune}: a copy of the teacher trained on the chord targets (z1 − z0)/(t1 − t0) at (z0, t0),
 *       loss = mean over the batch of the per-sample mean over dimensions of the squared error (Adam, warm-up,
 *       global-norm clipping 1, EMA; samples use the EMA weights).</li>
 * </ol>
 * Sampling afterwards: Euler on the same Bellman times ({@code boss} sampler with the same fine/cost settings).
 */
public final class BossStraighten {
    private BossStraighten() {}

    /** Training settings shared by both phases. */
    public record Settings(long steps, int batch, double lr, int warmup, double ema, long seed) {}

    /** Chord tuples, flattened: z0, z1 (n × d), t0, t1 (n), and the class each path was conditioned on (−1: none). */
    public record Tuples(int n, int dim, float[] z0, float[] z1, float[] t0, float[] t1, int[] labels) {}

    private static Trainer.Config config(Settings s) {
        return Trainer.Config.defaults(s.steps(), s.seed()).withLr(s.lr()).withWarmup(s.warmup()).withEma(s.ema())
                .withCheckpointSeconds(Double.POSITIVE_INFINITY);
    }

    /** Flow-matching teacher on the mixture's data distribution (label −1). Returns the EMA weights. */
    public static ParamStore trainTeacher(KnownDistribution data, VelocityMlp net, Settings s,
                                          Trainer.Listener listener, CancellationToken cancel) throws IOException {
        int d = data.dim();
        int pool = 100_000;
        double[] x1 = data.sampleData(s.seed() ^ 0x5DEECE66DL, pool, -1);
        ParamStore init = net.init(s.seed());
        Trainer<VelocityRegression.Batch> tr = new Trainer<>(config(s), init);
        TrainableNetwork student = MlpFlowModel.of("teacher", net, init);
        int[] none = new int[s.batch()];
        java.util.Arrays.fill(none, -1);
        Trainer.BatchSource<VelocityRegression.Batch> src = (step, rng) -> {
            int n = s.batch();
            float[] xt = new float[n * d];
            double[] ts = new double[n];
            float[] target = new float[n * d];
            for (int j = 0; j < n; j++) {
                int idx = rng.nextInt(pool);
                double t = rng.nextDouble();
                for (int e = 0; e < d; e++) {
                    double a = x1[idx * d + e];
                    double z = rng.nextGaussian();
                    xt[j * d + e] = (float) (t * a + (1 - t) * z);
                    target[j * d + e] = (float) (a - z);
                }
                ts[j] = (float) t;
            }
            return new VelocityRegression.Batch(xt, ts, none, target, n);
        };
        Trainer.Result r = tr.run(src, VelocityRegression.loss(student), listener, cancel);
        if (r.cancelled()) {
            throw new CancellationToken.CancelledException();
        }
        return tr.ema().copy();
    }

    /** States per network call when integrating teacher paths (bounds the memory an image network needs). */
    static final int CHUNK = 256;

    /**
     * Teacher Euler paths on the fine grid and the chord tuples of the Bellman intervals. With {@code classes} &gt; 0
     * path m is conditioned on class m mod classes (the student learns every class's chords); otherwise none.
     */
    public static Tuples tuples(FlowModel teacher, BossSchedule schedule, int samples, long seed, int classes) {
        int d = teacher.dim();
        double[] s = BossCost.fineGrid(teacher.path(), schedule.fine());
        int k = schedule.steps();
        int[] idx = schedule.indices();
        float[] z0 = new float[samples * k * d];
        float[] z1 = new float[samples * k * d];
        float[] t0 = new float[samples * k];
        float[] t1 = new float[samples * k];
        int[] rowLabels = new int[samples * k];
        int[] labels = labels(samples, classes);
        for (int from = 0; from < samples; from += CHUNK) {
            int n = Math.min(CHUNK, samples - from);
            double[] x = noise(seed, from, n, d);
            int[] l = java.util.Arrays.copyOfRange(labels, from, from + n);
            double[] v = new double[x.length];
            double[] prev = x.clone();
            int j = 0;
            for (int i = 0; i < schedule.fine() && j < k; i++) {
                teacher.velocity(x, n, s[i], l, v);
                double h = s[i + 1] - s[i];
                for (int e = 0; e < x.length; e++) {
                    x[e] += h * v[e];
                }
                if (idx[j + 1] == i + 1) {
                    for (int m = 0; m < n; m++) {
                        int row = (from + m) * k + j;
                        for (int e = 0; e < d; e++) {
                            z0[row * d + e] = (float) prev[m * d + e];
                            z1[row * d + e] = (float) x[m * d + e];
                        }
                        t0[row] = (float) s[idx[j]];
                        t1[row] = (float) s[idx[j + 1]];
                        rowLabels[row] = l[m];
                    }
                    prev = x.clone();
                    j++;
                }
            }
        }
        return new Tuples(samples * k, d, z0, z1, t0, t1, rowLabels);
    }

    /** Class m mod classes for sample m, or −1 (unconditional) for all when classes is 0. */
    static int[] labels(int samples, int classes) {
        int[] l = new int[samples];
        for (int m = 0; m < samples; m++) {
            l[m] = classes > 0 ? m % classes : -1;
        }
        return l;
    }

    private static double[] noise(long seed, int from, int n, int d) {
        double[] x = new double[n * d];
        for (int m = 0; m < n; m++) {
            NoiseSource.gaussian(seed, from + m, 0, x, m * d, d);
        }
        return x;
    }

    /**
     * The "Distill-K-Reflow" baseline's data in the same tuple form: pairs (x0, x1 = the teacher's N-step Euler
     * endpoint), states x_t = t·x1 + (1−t)·x0 at the K times t = (k/K)(1 − ε) + ε, k &lt; K (ε = 1e-3), target
     * x1 − x0 (encoded as z1 = z0 + (x1 − x0), t1 = t0 + 1).
     */
    public static Tuples reflowTuples(FlowModel teacher, int k, int fine, int samples, long seed) {
        int d = teacher.dim();
        double[] x0 = new double[samples * d];
        for (int m = 0; m < samples; m++) {
            NoiseSource.gaussian(seed, m, 0, x0, m * d, d);
        }
        double[] x1 = euler(teacher, BossCost.fineGrid(teacher.path(), fine), x0, samples, null);
        float[] z0 = new float[samples * k * d];
        float[] z1 = new float[samples * k * d];
        float[] t0 = new float[samples * k];
        float[] t1 = new float[samples * k];
        double eps = 1e-3;
        for (int m = 0; m < samples; m++) {
            for (int j = 0; j < k; j++) {
                int row = m * k + j;
                double t = (double) j / k * (1 - eps) + eps;
                for (int e = 0; e < d; e++) {
                    double a = x0[m * d + e];
                    double b = x1[m * d + e];
                    double xt = t * b + (1 - t) * a;
                    z0[row * d + e] = (float) xt;
                    z1[row * d + e] = (float) (xt + (b - a));
                }
                t0[row] = (float) t;
                t1[row] = (float) (t + 1);
            }
        }
        int[] none = new int[samples * k];
        java.util.Arrays.fill(none, -1);
        return new Tuples(samples * k, d, z0, z1, t0, t1, none);
    }

    /** Fine-tunes a copy of {@code teacher} on the chord targets; returns the EMA weights. */
    public static ParamStore fineTune(TrainableNetwork net, ParamStore teacher, Tuples data, Settings s,
                                      Trainer.Listener listener, CancellationToken cancel) throws IOException {
        int d = data.dim();
        Trainer<VelocityRegression.Batch> tr = new Trainer<>(config(s), teacher);
        Trainer.BatchSource<VelocityRegression.Batch> src = (step, rng) -> {
            int n = s.batch();
            float[] z = new float[n * d];
            double[] t = new double[n];
            int[] labels = new int[n];
            float[] target = new float[n * d];
            for (int j = 0; j < n; j++) {
                int r = rng.nextInt(data.n());
                double dt = (double) data.t1()[r] - data.t0()[r];
                System.arraycopy(data.z0(), r * d, z, j * d, d);
                for (int e = 0; e < d; e++) {
                    target[j * d + e] = (float) ((data.z1()[r * d + e] - (double) data.z0()[r * d + e]) / dt);
                }
                t[j] = data.t0()[r];
                labels[j] = data.labels()[r];
            }
            return new VelocityRegression.Batch(z, t, labels, target, n);
        };
        Trainer.Result r = tr.run(src, VelocityRegression.loss(net), listener, cancel);
        if (r.cancelled()) {
            throw new CancellationToken.CancelledException();
        }
        return tr.ema().copy();
    }

    /** Held-out noises, their classes (null: unconditional) and the reference's fine-grid Euler endpoints. */
    public record Heldout(int n, double[] x0, int[] labels, double[] reference) {}

    /** {@code samples} fresh noises (classes as in {@link #tuples}) integrated by {@code reference} on its fine grid. */
    public static Heldout heldout(FlowModel reference, int fine, int samples, long seed, int classes) {
        double[] x0 = noise(seed, 0, samples, reference.dim());
        int[] labels = classes > 0 ? labels(samples, classes) : null;
        return new Heldout(samples, x0, labels,
                euler(reference, BossCost.fineGrid(reference.path(), fine), x0, samples, labels));
    }

    /** Mean over the held-out noises of ‖Euler of {@code model} on {@code times} − the reference endpoint‖². */
    public static double endpointError(FlowModel model, double[] times, Heldout h) {
        double[] out = euler(model, times, h.x0(), h.n(), h.labels());
        double acc = 0;
        for (int i = 0; i < out.length; i++) {
            acc += (out[i] - h.reference()[i]) * (out[i] - h.reference()[i]);
        }
        return acc / h.n();
    }

    /** {@link #endpointError(FlowModel, double[], Heldout)} against a fresh {@link #heldout} set. */
    public static double endpointError(FlowModel model, double[] times, FlowModel reference, int fine, int samples,
                                       long seed, int classes) {
        return endpointError(model, times, heldout(reference, fine, samples, seed, classes));
    }

    /** Euler on {@code times} from x0, in chunks of {@link #CHUNK} states; labels may be null. */
    static double[] euler(FlowModel m, double[] times, double[] x0, int n, int[] labels) {
        int d = m.dim();
        double[] out = new double[x0.length];
        for (int from = 0; from < n; from += CHUNK) {
            int c = Math.min(CHUNK, n - from);
            double[] x = java.util.Arrays.copyOfRange(x0, from * d, (from + c) * d);
            int[] l = labels == null ? null : java.util.Arrays.copyOfRange(labels, from, from + c);
            double[] v = new double[x.length];
            for (int k = 0; k < times.length - 1; k++) {
                m.velocity(x, c, times[k], l, v);
                double h = times[k + 1] - times[k];
                for (int i = 0; i < x.length; i++) {
                    x[i] += h * v[i];
                }
            }
            System.arraycopy(x, 0, out, from * d, x.length);
        }
        return out;
    }

    /** Writes the straightened student as a model package whose manifest records its parent, K and the schedule. */
    public static void writePackage(Path dir, VelocityMlp net, ParamStore weights, FlowModel teacher,
                                    String parentRef, BossSchedule schedule, Map<String, Object> provenance)
            throws IOException {
        Map<String, Object> m = mlpManifest(dir, net, "t=0 noise, t=1 data; x_t = t*x1 + (1-t)*x0");
        Map<String, Object> boss = bossSection(teacher, parentRef, schedule);
        m.put("boss", boss);
        m.put("provenance", provenance);
        String card = "# BOSS-straightened velocity MLP\n\nFine-tuned from " + parentRef + " on the chords of its "
                + schedule.steps() + "-step Bellman schedule " + boss.get("times") + ". Sample it with Euler on "
                + "exactly these times.\n";
        ModelPackage.write(dir, m, weights, Map.of("architecture", VelocityMlp.ARCHITECTURE), card);
    }

    /**
     * Writes a student fine-tuned from a package (any architecture the engine runs, e.g. the image UNet): the
     * parent's manifest (architecture, config, conditioning, reference statistics) with the new weights, its own
     * name and provenance, and the BOSS section recording the parent, K and the schedule.
     */
    public static void writeDerivedPackage(Path dir, ModelPackage parent, ParamStore weights, FlowModel teacher,
                                           String parentRef, BossSchedule schedule, Map<String, Object> provenance)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(parent.manifest());
        m.remove("weights");
        m.remove("trainedOn");
        m.put("name", dir.getFileName().toString());
        m.put("weightsAre", "EMA");
        Map<String, Object> boss = bossSection(teacher, parentRef, schedule);
        m.put("boss", boss);
        m.put("provenance", provenance);
        String card = "# BOSS-straightened " + parent.string("architecture") + "\n\nFine-tuned from " + parentRef
                + " on the chords of its " + schedule.steps() + "-step Bellman schedule " + boss.get("times")
                + ". Sample it with Euler on exactly these times (`--sampler euler --param grid=list --param times=...`)."
                + "\n\nHeld-out " + schedule.steps() + "-step endpoint error against the parent's "
                + schedule.fine() + "-step Euler path: parent " + provenance.get("heldOutTeacherError") + ", this model "
                + provenance.get("heldOutStudentError") + ".\n";
        ModelPackage.write(dir, m, weights, Map.of("architecture", parent.string("architecture")), card);
    }

    private static Map<String, Object> bossSection(FlowModel teacher, String parentRef, BossSchedule schedule) {
        Map<String, Object> boss = new LinkedHashMap<>();
        boss.put("parent", parentRef);
        boss.put("parentHash", teacher.hash());
        boss.put("steps", schedule.steps());
        boss.put("fine", schedule.fine());
        boss.put("costSamples", schedule.costSamples());
        boss.put("costSeed", schedule.costSeed());
        boss.put("times", java.util.Arrays.stream(schedule.times()).boxed().toList());
        boss.put("dpObjective", schedule.objective());
        boss.put("sampleWith", "euler on these times (sampler 'euler', grid=list)");
        return boss;
    }

    /** The manifest fields every velocity-MLP package has (EMA weights on the rectified-flow path). */
    private static Map<String, Object> mlpManifest(Path dir, VelocityMlp net, String timeConvention) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", dir.getFileName().toString());
        m.put("kind", "flow");
        m.put("architecture", VelocityMlp.ARCHITECTURE);
        m.put("config", net.config());
        m.put("parameterization", "velocity");
        m.put("path", "rectified-flow");
        m.put("timeConvention", timeConvention);
        m.put("imageShape", List.of(net.dim()));
        m.put("weightsAre", "EMA");
        return m;
    }

    /** Writes a flow-matching teacher MLP as a model package. */
    public static void writeTeacherPackage(Path dir, VelocityMlp net, ParamStore weights, FlowModel data,
                                           Map<String, Object> provenance) throws IOException {
        Map<String, Object> m = mlpManifest(dir, net,
                "t=0 noise, t=1 data; x_t = t*x1 + (1-t)*x0; velocity target x1 - x0");
        m.put("trainedOn", Map.of("model", data.id(), "hash", data.hash()));
        m.put("provenance", provenance);
        ModelPackage.write(dir, m, weights, Map.of("architecture", VelocityMlp.ARCHITECTURE),
                "# Velocity MLP teacher\n\nTrained by flow matching on " + data.id() + ".\n");
    }

    /** The data distribution of an analytic rectified-flow mixture, or an error for other models. */
    public static KnownDistribution requireMixture(FlowModel m) {
        java.util.Optional<KnownDistribution> g = m.as(KnownDistribution.class);
        if (g.isEmpty() || !m.path().id().equals("rectified-flow")) {
            throw new FlowbenchException("train boss needs an analytic rectified-flow mixture (builtin:boss-toy, a spec "
                    + ".json) to train its teacher MLP on", "try --model builtin:boss-toy");
        }
        return g.get();
    }

    /** Wraps weights as a model. */
    public static MlpFlowModel model(String id, VelocityMlp net, ParamStore w) {
        return MlpFlowModel.of(id, net, w);
    }
}
