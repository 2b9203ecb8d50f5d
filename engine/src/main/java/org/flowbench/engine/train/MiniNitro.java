package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.SdxlSchedule;
import org.flowbench.engine.nn.Layers;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.run.CancellationToken;

/**
 * "Mini-Nitro" (method reference §6.4 N2, defaults ours where the paper is silent): a one-step generator G(z) on a
 * 2-D target trained only against a dynamic pool of discriminator heads. A frozen random-feature backbone reads
 * re-noised samples x_t = √ᾱ_t·x + √(1 − ᾱ_t)·ε (SDXL levels) with the level's embedding; heads (2-layer MLPs on the
 * pooled features) form groups by level range [g·1000/G, (g+1)·1000/G). Per step one group is drawn, a random subset of
 * its heads scores real (exact target samples) against fake (G's samples) with the hinge loss and only that subset is
 * updated; then G takes a step against the same heads (−D(fake)); then a share of the whole pool is re-initialised.
 * With one group of one head and no refresh it is the fixed-single-head baseline. The 2-D target has no classes, so
 * all heads are unconditional and global.
 */
public final class MiniNitro {
    /** The experiment's knobs. */
    public record Settings(long steps, int batch, int groups, int headsPerGroup, int headsPerStep,
                           double refreshFraction, double lr, int hidden, long seed, int evalEvery, int evalSamples) {
        public Settings {
            if (groups < 1 || headsPerGroup < 1 || headsPerStep < 1 || headsPerStep > headsPerGroup
                    || refreshFraction < 0 || refreshFraction > 1 || steps < 1 || batch < 1) {
                throw new FlowbenchException("mini-Nitro settings out of range: groups " + groups + ", heads "
                        + headsPerGroup + ", per step " + headsPerStep + ", refresh " + refreshFraction);
            }
        }

        /** The reference's proposed pool: 4 level groups × 32 heads, 8 per step, 1 % refreshed per step. */
        public static Settings pool(long steps, long seed) {
            return new Settings(steps, 256, 4, 32, 8, 0.01, 1e-4, 128, seed, (int) Math.max(1, steps / 20), 4000);
        }

        /** One fixed head for every level, never refreshed. */
        public static Settings singleHead(long steps, long seed) {
            return new Settings(steps, 256, 1, 1, 1, 0, 1e-4, 128, seed, (int) Math.max(1, steps / 20), 4000);
        }
    }

    /** One measurement: FD against the exact moments, modes covered, the step's discriminator accuracy. */
    public record Point(long step, double fd, int modesCovered, double discriminatorAccuracy, double seconds) {}

    private static final int FEATURES = 64;
    private static final int LEVEL_FEATURES = 8;

    private MiniNitro() {}

    static ParamStore generator(int dim, int hidden, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamStore s = new ParamStore();
        Layers.declareLinear(s, "l1", dim, hidden, rng, true);
        Layers.declareLinear(s, "l2", hidden, hidden, rng, true);
        Layers.declareLinear(s, "l3", hidden, dim, rng, true);
        return s;
    }

    static NDArray generate(NDParams p, NDArray z) {
        NDArray h = Activation.relu(Layers.linear(p, "l1", z));
        h = Activation.relu(Layers.linear(p, "l2", h));
        return Layers.linear(p, "l3", h);
    }

    static ParamStore backbone(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5bd1e995L);
        ParamStore s = new ParamStore();
        Layers.declareLinear(s, "b1", dim + LEVEL_FEATURES, FEATURES, rng, true);
        return s;
    }

    static ParamStore head(SplittableRandom rng) {
        ParamStore s = new ParamStore();
        Layers.declareLinear(s, "h1", FEATURES, 32, rng, true);
        Layers.declareLinear(s, "h2", 32, 1, rng, true);
        return s;
    }

    /** Re-noised samples and their level features: [n, dim + 8]. */
    static NDArray noised(NDManager m, NDArray x, int[] levels, float[] eps) {
        int n = levels.length;
        int dim = (int) x.getShape().get(1);
        float[] a = new float[n];
        float[] b = new float[n];
        float[] emb = new float[n * LEVEL_FEATURES];
        for (int i = 0; i < n; i++) {
            double ab = SdxlSchedule.alphaBar(levels[i]);
            a[i] = (float) Math.sqrt(ab);
            b[i] = (float) Math.sqrt(1 - ab);
            for (int k = 0; k < LEVEL_FEATURES / 2; k++) {
                double w = Math.PI * (k + 1) * levels[i] / 1000.0;
                emb[i * LEVEL_FEATURES + 2 * k] = (float) Math.sin(w);
                emb[i * LEVEL_FEATURES + 2 * k + 1] = (float) Math.cos(w);
            }
        }
        NDArray xt = x.mul(m.create(a, new Shape(n, 1))).add(m.create(eps, new Shape(n, dim))
                .mul(m.create(b, new Shape(n, 1))));
        return xt.concat(m.create(emb, new Shape(n, LEVEL_FEATURES)), 1);
    }

    static NDArray score(NDParams backbone, NDParams head, NDArray input) {
        NDArray f = Activation.relu(Layers.linear(backbone, "b1", input));
        return Layers.linear(head, "h2", Activation.relu(Layers.linear(head, "h1", f))).reshape(-1);
    }

    /** Trains G on {@code target} and reports a {@link Point} every {@code evalEvery} steps (and at the end). */
    public static List<Point> run(KnownDistribution target, Settings s, Consumer<Point> progress,
                                  CancellationToken cancel) {
        int dim = target.dim();
        int totalHeads = s.groups() * s.headsPerGroup();
        Adam adam = Adam.defaults(s.lr()).withWarmup(0).withBetas(0, 0.99).withClip(1e9).withEma(0);
        List<Point> out = new ArrayList<>();
        SplittableRandom poolRng = new SplittableRandom(Trainer.mix(s.seed(), 0, 7));
        long start = System.nanoTime();
        try (StepTrainer tr = new StepTrainer(s.seed())) {
            tr.add("G", generator(dim, s.hidden(), s.seed()), adam);
            tr.addFrozen("backbone", backbone(dim, s.seed()));
            for (int h = 0; h < totalHeads; h++) {
                tr.add("head" + h, head(poolRng), adam);
            }
            double[] accuracy = {Double.NaN};
            double[] refreshDebt = {0};
            for (long step = 1; step <= s.steps(); step++) {
                cancel.check();
                SplittableRandom rng = new SplittableRandom(Trainer.mix(s.seed(), step, 5));
                int g = rng.nextInt(s.groups());
                List<String> heads = new ArrayList<>();
                List<Integer> members = new ArrayList<>();
                for (int h = 0; h < s.headsPerGroup(); h++) {
                    members.add(g * s.headsPerGroup() + h);
                }
                for (int k = 0; k < s.headsPerStep(); k++) {
                    heads.add("head" + members.remove(rng.nextInt(members.size())));
                }
                int lo = g * 1000 / s.groups();
                int hi = (g + 1) * 1000 / s.groups();
                int[] levels = new int[s.batch()];
                float[] z = new float[s.batch() * dim];
                float[] epsReal = new float[s.batch() * dim];
                float[] epsFake = new float[s.batch() * dim];
                for (int i = 0; i < s.batch(); i++) {
                    levels[i] = lo + rng.nextInt(hi - lo);
                }
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) rng.nextGaussian();
                    epsReal[i] = (float) rng.nextGaussian();
                    epsFake[i] = (float) rng.nextGaussian();
                }
                double[] realD = target.sampleData(Trainer.mix(s.seed(), step, 6), s.batch(), -1);
                float[] real = new float[realD.length];
                for (int i = 0; i < real.length; i++) {
                    real[i] = (float) realD[i];
                }
                // discriminator step: the drawn heads, hinge loss, G a constant
                tr.step(heads, (m, p, r) -> {
                    NDArray fake = generate(p.get("G"), m.create(z, new Shape(s.batch(), dim)));
                    NDArray inReal = noised(m, m.create(real, new Shape(s.batch(), dim)), levels, epsReal);
                    NDArray inFake = noised(m, fake, levels, epsFake);
                    NDArray loss = null;
                    int right = 0;
                    for (String h : heads) {
                        NDArray dr = score(p.get("backbone"), p.get(h), inReal);
                        NDArray df = score(p.get("backbone"), p.get(h), inFake);
                        for (float v : dr.toFloatArray()) {
                            right += v > 0 ? 1 : 0;
                        }
                        for (float v : df.toFloatArray()) {
                            right += v < 0 ? 1 : 0;
                        }
                        NDArray l = Activation.relu(dr.neg().add(1f)).mean().add(Activation.relu(df.add(1f)).mean());
                        loss = loss == null ? l : loss.add(l);
                    }
                    accuracy[0] = right / (2.0 * s.batch() * heads.size());
                    return org.flowbench.engine.nn.Scalars.div(loss, heads.size());
                });
                // generator step against the same heads
                tr.step(List.of("G"), (m, p, r) -> {
                    NDArray fake = generate(p.get("G"), m.create(z, new Shape(s.batch(), dim)));
                    NDArray inFake = noised(m, fake, levels, epsFake);
                    NDArray loss = null;
                    for (String h : heads) {
                        NDArray l = score(p.get("backbone"), p.get(h), inFake).mean().neg();
                        loss = loss == null ? l : loss.add(l);
                    }
                    return org.flowbench.engine.nn.Scalars.div(loss, heads.size());
                });
                // refresh: the pool's share per step, carried over when below one head
                refreshDebt[0] += s.refreshFraction() * totalHeads;
                while (refreshDebt[0] >= 1) {
                    refreshDebt[0] -= 1;
                    tr.reset("head" + poolRng.nextInt(totalHeads), head(poolRng));
                }
                if (step % s.evalEvery() == 0 || step == s.steps()) {
                    Point pt = evaluate(target, tr.group("G").params(), s, step, accuracy[0],
                            (System.nanoTime() - start) / 1e9);
                    out.add(pt);
                    progress.accept(pt);
                }
            }
        }
        return out;
    }

    /** FD of G's samples against the exact moments and the modes they cover. */
    static Point evaluate(KnownDistribution target, ParamStore g, Settings s, long step, double acc, double seconds) {
        int dim = target.dim();
        int n = s.evalSamples();
        double[] x = sample(g, dim, n, Trainer.mix(s.seed(), step, 9));
        GaussianStats st = new GaussianStats(dim);
        st.addBatch(x, n);
        double fd = Frechet.distance(st.mean(), st.covariance(), target.dataMean(-1), target.dataCovariance(-1), dim);
        return new Point(step, fd, modesCovered(target, x, n), acc, seconds);
    }

    /** n samples of the generator with weights g. */
    public static double[] sample(ParamStore g, int dim, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] z = new float[n * dim];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current())) {
            float[] f = generate(g.materialize(m, false), m.create(z, new Shape(n, dim))).toFloatArray();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
    }

    /** Modes that are the nearest mode of at least a quarter of their expected share of the samples. */
    public static int modesCovered(KnownDistribution target, double[] x, int n) {
        int dim = target.dim();
        int k = target.components();
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            count[target.nearestComponent(x, i * dim)]++;
        }
        int covered = 0;
        for (int j = 0; j < k; j++) {
            if (count[j] >= 0.25 * n * target.weight(j, -1)) {
                covered++;
            }
        }
        return covered;
    }

    /** The settings as a map, for records. */
    public static Map<String, Object> describe(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", s.steps());
        m.put("batch", s.batch());
        m.put("groups", s.groups());
        m.put("headsPerGroup", s.headsPerGroup());
        m.put("headsPerStep", s.headsPerStep());
        m.put("refreshFraction", s.refreshFraction());
        m.put("lr", s.lr());
        m.put("betas", List.of(0, 0.99));
        m.put("loss", "hinge");
        return m;
    }
}
