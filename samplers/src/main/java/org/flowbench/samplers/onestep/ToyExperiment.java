package org.flowbench.samplers.onestep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.pkg.MlpFlowModel;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.Adam;
import org.flowbench.engine.train.FlowGuidedDistillation;
import org.flowbench.engine.train.ImageDistance;
import org.flowbench.engine.train.StepTrainer;
import org.flowbench.engine.train.Trainer;
import org.flowbench.engine.train.VelocityRegression;
import org.flowbench.samplers.boss.BossStraighten;

/**
 * SlimFlow's exploratory arms on an exact 2-D mixture (methods reference §6.3 RF4, RF5), with the exact 1-RF field as
 * the teacher: reflow of a small MLP student (a) from scratch with β ≡ 0, (b) from scratch with β annealed linearly
 * over 30 % of the steps, (c) initialised from a 1-RF MLP of the same size trained by flow matching; then one-step
 * distillation of a narrower MLP, plain (Term A) against flow-guided (A + B, guided by arm (b)'s 2-RF), both L2.
 * Reported: straightness S and the one-step FD to the exact target moments.
 */
public final class ToyExperiment {
    /** Sizes and budgets; every arm trains {@code steps} steps at batch {@code batch}. */
    public record Settings(int pairs, long steps, int batch, int hidden, int narrowHidden, double lr, long seed) {}

    /** One arm's figures (S is NaN for the one-step students, which have no flow). */
    public record Row(String arm, double straightness, double oneStepFd, double seconds) {}

    private static final int EVAL = 20_000;
    private static final int PATHS = 4000;

    private ToyExperiment() {}

    public static List<Row> run(FlowModel target, Settings s, java.util.function.Consumer<Row> progress) throws IOException {
        KnownDistribution g = target.require(KnownDistribution.class, "the SlimFlow toy experiment");
        int d = g.dim();
        List<Row> rows = new ArrayList<>();
        double[] zEval = noises(EVAL, d, s.seed() + 101);
        double[] zPaths = noises(PATHS, d, s.seed() + 103);
        long t0 = System.nanoTime();
        FlowPaths exact = FlowPaths.rk4(target, zPaths, PATHS, 100);
        rows.add(emit(progress, new Row("1-RF (exact field, the teacher)", exact.straightness(),
                FlowPaths.fd(FlowPaths.euler(target, zEval, EVAL, 1), EVAL, g), secs(t0))));

        // exact 1-RF pairs
        double[] z = noises(s.pairs(), d, s.seed());
        double[] x1 = FlowPaths.rk4(target, z, s.pairs(), 200).end();
        int[] none = new int[s.pairs()];
        Arrays.fill(none, -1);
        TeacherPairs.Pairs pairs = new TeacherPairs.Pairs(s.pairs(), new int[] {d}, TeacherPairs.toFloat(z),
                TeacherPairs.toFloat(x1), none, java.util.Map.of());

        VelocityMlp small = new VelocityMlp(d, s.hidden());
        ParamStore[] reflowed = new ParamStore[3];
        String[] arms = {"(a) reflow from scratch, β ≡ 0", "(b) annealing reflow from scratch, β linear over 30 %",
                "(c) reflow initialised from a 1-RF MLP"};
        for (int a = 0; a < 3; a++) {
            long ta = System.nanoTime();
            ParamStore init = small.init(s.seed() + 7);
            if (a == 2) {
                init = BossStraighten.trainTeacher(g, small, new BossStraighten.Settings(s.steps(), s.batch(), s.lr(),
                        100, 0.999, s.seed() + 7), null, CancellationToken.NONE);
            }
            AnnealingReflow.Beta beta = a == 1 ? new AnnealingReflow.Beta("linear", Math.max(1, s.steps() * 3 / 10), 0)
                    : AnnealingReflow.Beta.parse("fix:0");
            Trainer<VelocityRegression.Batch> tr = new Trainer<>(Trainer.Config.defaults(s.steps(), s.seed() + a)
                    .withLr(s.lr()).withWarmup(100).withEma(0.999).withCheckpointSeconds(Double.POSITIVE_INFINITY), init);
            try (MlpFlowModel net = MlpFlowModel.of("student", small, init)) {
                tr.run(AnnealingReflow.source(pairs, beta, AnnealingReflow.Flip.off(0), s.batch(),
                        AnnealingReflow.EPSILON, s.seed() + a), VelocityRegression.loss(net), null, CancellationToken.NONE);
            }
            reflowed[a] = tr.ema();
            try (MlpFlowModel m = MlpFlowModel.of(arms[a], small, tr.ema())) {
                rows.add(emit(progress, new Row(arms[a], FlowPaths.rk4(m, zPaths, PATHS, 50).straightness(),
                        FlowPaths.fd(FlowPaths.euler(m, zEval, EVAL, 1), EVAL, g), secs(ta))));
            }
        }

        // one-step students narrower than the 2-RF guide of arm (b)
        VelocityMlp narrow = new VelocityMlp(d, s.narrowHidden());
        for (double weightB : new double[] {0, 1}) {
            long ta = System.nanoTime();
            ParamStore w = distill(pairs, narrow, small, reflowed[1], weightB, s);
            String arm = (weightB == 0 ? "plain distillation" : "flow-guided distillation") + ", hidden "
                    + s.narrowHidden() + " (guide: (b), hidden " + s.hidden() + ")";
            try (MlpFlowModel m = MlpFlowModel.of(arm, narrow, w)) {
                rows.add(emit(progress, new Row(arm, Double.NaN, FlowPaths.fd(FlowPaths.euler(m, zEval, EVAL, 1), EVAL,
                        g), secs(ta))));
            }
        }
        return rows;
    }

    private static ParamStore distill(TeacherPairs.Pairs pairs, VelocityMlp student, VelocityMlp guideNet,
                                      ParamStore guide, double weightB, Settings s) {
        StepTrainer tr = new StepTrainer(s.seed() + 11);
        tr.add(FlowGuidedDistillation.STUDENT, student.init(s.seed() + 13),
                new Adam(s.lr(), 100, 0.9, 0.999, 1e-8, 1.0, 0.999));
        tr.addFrozen(FlowGuidedDistillation.GUIDE, guide);
        SlimFlow.DistillSettings ds = new SlimFlow.DistillSettings("l2", 0, weightB, 0, 0.2, 0.8, s.steps(), s.batch(),
                s.lr(), 100, 0.999, s.seed() + 11);
        EpochOrder order = new EpochOrder(pairs.n(), s.batch(), ds.seed());
        try (MlpFlowModel sm = MlpFlowModel.of("student", student, student.init(0));
             MlpFlowModel gm = MlpFlowModel.of("guide", guideNet, guide); tr) {
            ImageDistance l2 = ImageDistance.l2();
            while (tr.step() < s.steps()) {
                FlowGuidedDistillation.Batch b = SlimFlow.distillBatch(pairs, order, tr.step() + 1, ds, 0, pairs.dim());
                tr.step(Set.of(FlowGuidedDistillation.STUDENT), (m, p, rng) ->
                        FlowGuidedDistillation.loss(m, p, sm, gm, l2, 0, weightB, b, null));
            }
        }
        return tr.group(FlowGuidedDistillation.STUDENT).ema();
    }

    private static Row emit(java.util.function.Consumer<Row> progress, Row r) {
        if (progress != null) {
            progress.accept(r);
        }
        return r;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double[] noises(int n, int d, long seed) {
        double[] z = new double[n * d];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(seed, i, 0, z, i * d, d);
        }
        return z;
    }
}
