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
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.Layers;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.Scalars;

/**
 * NitroFusion's training on images (method reference §4.2; every choice the paper leaves open is ours): a student
 * rectified-flow UNet initialised from the teacher is trained only adversarially against a dynamic pool of light heads
 * on the frozen teacher's middle features of re-noised images.
 *
 * <p>Student step (the sampler's own arithmetic, RF levels): draw a level τ of the origin grid (999, 749, 499, 249);
 * the input is pure noise at τ = 999, else a teacher sample re-noised to RF time 1 − τ/1000; the student is evaluated
 * at the shifted level s = ⌊τ·shift/1000⌋, i.e. RF time t_s = 1 − s/1000, and its clean-image estimate
 * d = x + (1 − t_s)·v(x, t_s, y) is the fake. Real = teacher samples (the SlimFlow pair store) with their classes.
 *
 * <p>Discriminator: real and fake are re-noised to a level drawn in one of {@code groups} ranges and read by the frozen
 * teacher's middle block (c2 × 7 × 7, unconditional); each group has {@code headsPerGroup} heads: global heads (mean-
 * pooled features → 32 → 1) and local heads (1 × 1 convolution → a 7 × 7 logit map), half of each conditional (a class
 * projection added to the logit: ⟨E[y], features⟩). Per step a random subset of the drawn group's heads is trained
 * with the hinge loss, the student takes a step on −D(fake) against the same heads, and a share of the pool is
 * re-initialised. Ours, not the paper's: the student also regresses onto the teacher's sample ({@code regression},
 * L2), because the paper's teachers are few-step generators already and ours is a many-step flow whose weights at the
 * shifted time map noise to noise (DMD2, the Realism teacher, trains with such a regression term).
 */
public final class NitroTraining {
    /** The training's knobs (ours; §6.4 N2's proposals where they exist). */
    public record Settings(int batch, int groups, int headsPerGroup, int headsPerStep, double refreshFraction,
                           boolean localHeads, boolean conditionalHeads, int shift, double studentLr, double headLr,
                           double emaDecay, double regression) {
        public Settings {
            if (groups < 1 || headsPerGroup < 1 || headsPerStep < 1 || headsPerStep > headsPerGroup
                    || refreshFraction < 0 || refreshFraction > 1 || batch < 1 || shift < 1 || shift > 1000
                    || regression < 0) {
                throw new FlowbenchException("Nitro settings out of range: groups " + groups + ", heads "
                        + headsPerGroup + ", per step " + headsPerStep + ", refresh " + refreshFraction + ", shift "
                        + shift);
            }
        }

        public static Settings defaults() {
            return new Settings(32, 4, 32, 8, 0.01, true, true, 250, 1e-4, 1e-4, 0.999, 1.0);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("batch", batch);
            m.put("groups", groups);
            m.put("headsPerGroup", headsPerGroup);
            m.put("headsPerStep", headsPerStep);
            m.put("refreshFraction", refreshFraction);
            m.put("localHeads", localHeads);
            m.put("conditionalHeads", conditionalHeads);
            m.put("shift", shift);
            m.put("studentLr", studentLr);
            m.put("headLr", headLr);
            m.put("emaDecay", emaDecay);
            m.put("regression", regression);
            m.put("loss", "hinge; student −D(fake) + regression · mean((d − x1)²) onto the teacher's sample of the "
                    + "same noise (level 999) or of the re-noised sample (other levels)");
            return m;
        }
    }

    /** One step's losses and the drawn heads' accuracy on real vs fake. */
    public record StepLog(long step, double discriminatorLoss, double generatorLoss, double accuracy) {}

    private static final int[] ORIGIN = {999, 749, 499, 249};

    private final FlowUNet net;
    private final Settings s;
    private final StepTrainer trainer;
    private final int totalHeads;
    private final long seed;

    /** A fresh training: the student starts as a copy of the teacher's weights. */
    public NitroTraining(FlowUNet net, ParamStore teacher, Settings s, long seed) {
        this.net = net;
        this.s = s;
        this.totalHeads = s.groups() * s.headsPerGroup();
        this.trainer = new StepTrainer(seed);
        this.seed = seed;
        SplittableRandom init = new SplittableRandom(Trainer.mix(seed, 0, 11));
        trainer.add("student", teacher, Adam.defaults(s.studentLr()).withWarmup(0).withBetas(0, 0.99)
                .withClip(1.0).withEma(s.emaDecay()));
        trainer.addFrozen("teacher", teacher);
        for (int h = 0; h < totalHeads; h++) {
            trainer.add(head(h), newHead(h, init), headAdam());
        }
    }

    private Adam headAdam() {
        return Adam.defaults(s.headLr()).withWarmup(0).withBetas(0, 0.99).withClip(10.0).withEma(0);
    }

    static String head(int h) {
        return "head" + h;
    }

    /** Head h's kind: within a group, the first half global, the second local (when local heads are on). */
    boolean isLocal(int h) {
        return s.localHeads() && (h % s.headsPerGroup()) >= s.headsPerGroup() / 2;
    }

    /** Every other head is conditional (when conditional heads are on). */
    boolean isConditional(int h) {
        return s.conditionalHeads() && h % 2 == 1;
    }

    ParamStore newHead(int h, SplittableRandom poolRng) {
        int c = net.middleChannels();
        ParamStore p = new ParamStore();
        if (isLocal(h)) {
            Layers.declareConv(p, "map", c, 1, 1, poolRng, 1.0);
        } else {
            Layers.declareLinear(p, "h1", c, 32, poolRng, true);
            Layers.declareLinear(p, "h2", 32, 1, poolRng, true);
        }
        if (isConditional(h)) {
            p.uniform("embed", new int[] {net.classes() + 1, isLocal(h) ? c : 32}, 1, 0.1, poolRng);
        }
        return p;
    }

    /** Head h's logits: [n] for a global head, [n, 7·7] for a local one. */
    NDArray score(int h, NDParams p, NDArray features, NDArray classOneHot) {
        NDArray logit;
        NDArray proj;
        if (isLocal(h)) {
            logit = Layers.conv(p, "map", features).reshape(features.getShape().get(0), -1);
            proj = features;
        } else {
            NDArray hidden = Activation.relu(Layers.linear(p, "h1", features.mean(new int[] {3}).mean(new int[] {2})));
            logit = Layers.linear(p, "h2", hidden).reshape(-1);
            proj = hidden;
        }
        if (!isConditional(h)) {
            return logit;
        }
        NDArray e = classOneHot.matMul(p.get("embed")); // [n, width]
        if (isLocal(h)) {
            // ⟨E[y], f(location)⟩ per location
            long n = features.getShape().get(0);
            NDArray dots = features.mul(e.reshape(n, -1, 1, 1)).sum(new int[] {1}).reshape(n, -1);
            return logit.add(dots);
        }
        return logit.add(proj.mul(e).sum(new int[] {1}));
    }

    /**
     * One discriminator step and one student step on a batch of teacher pairs: the noises z the teacher started from
     * and its samples x1 ([n, 1, 28, 28] each), with labels.
     */
    public StepLog step(float[] z, float[] x1, int[] labels, SplittableRandom rng) {
        int n = labels.length;
        int dim = x1.length / n;
        int g = rng.nextInt(s.groups());
        List<Integer> members = new ArrayList<>();
        for (int h = 0; h < s.headsPerGroup(); h++) {
            members.add(g * s.headsPerGroup() + h);
        }
        List<Integer> drawn = new ArrayList<>();
        for (int k = 0; k < s.headsPerStep(); k++) {
            drawn.add(members.remove(rng.nextInt(members.size())));
        }
        List<String> names = drawn.stream().map(NitroTraining::head).toList();
        int level = ORIGIN[rng.nextInt(ORIGIN.length)];
        int shifted = (int) Math.floor(level * (double) s.shift() / 1000.0);
        float tLevel = (float) (1 - level / 1000.0);
        float tStudent = (float) (1 - shifted / 1000.0);
        float[] noise = gaussian(rng, n * dim);
        float[] input = new float[n * dim];
        for (int j = 0; j < input.length; j++) {
            input[j] = level == 999 ? z[j] : tLevel * x1[j] + (1 - tLevel) * noise[j];
        }
        float[] tD = new float[n];
        int lo = g * 1000 / s.groups();
        int hi = (g + 1) * 1000 / s.groups();
        for (int i = 0; i < n; i++) {
            tD[i] = (float) (1 - (lo + rng.nextInt(hi - lo)) / 1000.0);
        }
        float[] epsReal = gaussian(rng, n * dim);
        float[] epsFake = gaussian(rng, n * dim);
        float[] onehot = new float[n * (net.classes() + 1)];
        for (int i = 0; i < n; i++) {
            onehot[i * (net.classes() + 1) + (labels[i] < 0 ? net.classes() : labels[i])] = 1f;
        }
        Shape shape = new Shape(n, 1, 28, 28);
        double[] acc = {0};
        StepTrainer.StepResult d = trainer.step(names, (m, p, r) -> {
            NDArray fake = fake(m, p.get("student"), input, shape, tStudent, labels).stopGradient();
            NDArray real = m.create(x1, shape);
            NDArray fr = backbone(m, p.get("teacher"), real, epsReal, tD);
            NDArray ff = backbone(m, p.get("teacher"), fake, epsFake, tD);
            NDArray y = m.create(onehot, new Shape(n, net.classes() + 1));
            NDArray loss = null;
            long right = 0;
            long total = 0;
            for (int h : drawn) {
                NDArray dr = score(h, p.get(head(h)), fr, y);
                NDArray df = score(h, p.get(head(h)), ff, y);
                for (float v : dr.toFloatArray()) {
                    right += v > 0 ? 1 : 0;
                    total++;
                }
                for (float v : df.toFloatArray()) {
                    right += v < 0 ? 1 : 0;
                    total++;
                }
                NDArray l = Activation.relu(dr.neg().add(1f)).mean().add(Activation.relu(df.add(1f)).mean());
                loss = loss == null ? l : loss.add(l);
            }
            acc[0] = right / (double) total;
            return Scalars.div(loss, drawn.size());
        });
        StepTrainer.StepResult gr = trainer.step(List.of("student"), (m, p, r) -> {
            NDArray fake = fake(m, p.get("student"), input, shape, tStudent, labels);
            NDArray ff = backbone(m, p.get("teacher"), fake, epsFake, tD);
            NDArray y = m.create(onehot, new Shape(n, net.classes() + 1));
            NDArray loss = null;
            for (int h : drawn) {
                NDArray l = score(h, p.get(head(h)), ff, y).mean().neg();
                loss = loss == null ? l : loss.add(l);
            }
            loss = Scalars.div(loss, drawn.size());
            if (s.regression() > 0) {
                loss = loss.add(Scalars.mul(fake.sub(m.create(x1, shape)).square().mean(), s.regression()));
            }
            return loss;
        });
        // refresh: ⌊k·rate·pool⌋ heads by step k, drawn from a generator of (seed, step) so that a resumed run
        // refreshes what the uninterrupted one would have
        long k = gr.step() / 2;
        double perStep = s.refreshFraction() * totalHeads;
        long due = (long) Math.floor(k * perStep) - (long) Math.floor((k - 1) * perStep);
        SplittableRandom refresh = new SplittableRandom(Trainer.mix(seed, k, 13));
        for (long j = 0; j < due; j++) {
            int h = refresh.nextInt(totalHeads);
            trainer.reset(head(h), newHead(h, refresh));
        }
        return new StepLog(k, d.loss(), gr.loss(), acc[0]);
    }

    /** The student's clean-image estimate d = x + (1 − t_s)·v(x, t_s, y). */
    private NDArray fake(NDManager m, NDParams student, float[] input, Shape shape, float ts, int[] labels) {
        NDArray x = m.create(input, shape);
        float[] t = new float[labels.length];
        java.util.Arrays.fill(t, ts);
        return x.add(Scalars.mul(net.forward(student, x, t, labels), 1 - ts));
    }

    /** The frozen teacher's unconditional middle features of x re-noised to RF times tD. */
    private NDArray backbone(NDManager m, NDParams teacher, NDArray x, float[] eps, float[] tD) {
        int n = tD.length;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = tD[i];
            b[i] = 1 - tD[i];
        }
        NDArray xt = x.mul(m.create(a, new Shape(n, 1, 1, 1))).add(m.create(eps, x.getShape())
                .mul(m.create(b, new Shape(n, 1, 1, 1))));
        int[] none = new int[n];
        java.util.Arrays.fill(none, -1);
        return net.middleFeatures(teacher, xt, tD, none);
    }

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) rng.nextGaussian();
        }
        return f;
    }

    public StepTrainer trainer() {
        return trainer;
    }

    /** The student's EMA weights (what a package ships). */
    public ParamStore studentEma() {
        return trainer.group("student").ema();
    }

    /** Heads re-initialised so far (a pure function of the step count, so it survives a resume). */
    public long headsRefreshed() {
        return (long) Math.floor(trainer.step() / 2 * s.refreshFraction() * totalHeads);
    }
}
