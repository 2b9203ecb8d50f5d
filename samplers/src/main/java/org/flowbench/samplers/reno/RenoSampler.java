package org.flowbench.samplers.reno;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Classifier;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.EulerGenerator;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Gradients;
import org.flowbench.engine.model.Model;
import org.flowbench.engine.model.OneStepGenerator;
import org.flowbench.engine.model.RewardModel;
import org.flowbench.engine.model.TensorField;
import org.flowbench.engine.model.pkg.RewardPackages;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.BatchSampler;
import org.flowbench.samplers.Param;

/**
 * ReNO, reward-based initial-noise optimisation (method reference §1): the generator G (the model's own one-step
 * generator, or {@code steps} Euler steps of its field, back-propagated through) and the rewards stay frozen; each
 * image's initial noise z is optimised for {@code iterations} evaluations of the weighted reward loss
 * L_rew = −Σ_k w_k r_k(G(z, c), c) plus λ(½‖z‖² − (d−1)ln‖z‖) ({@link NoiseSearch}, {@link NoiseOptimizer}). The
 * output is the image of lowest reward loss seen. The image-select and no-optim baselines run through the same loop.
 *
 * <p>Every run also scores the initial and the chosen images with a held-out judge (a classifier that is none of the
 * rewards), so that a reward that is fooled rather than satisfied shows. Per image the listener receives (as
 * {@link ProgressListener#extras}): "initial" images, the best "noise", "reward-trace" and "noise-norm-trace"
 * (iterations values each: −L_rew and ‖z‖ after every evaluation, NaN after a stop), "reward-initial" /
 * "reward-best" (weighted), "rewardK-initial" / "rewardK-best" per reward K = 1, 2, …, "judge-probability-initial" /
 * "-best" (the judge's probability of the prompted class), "judge-agrees-initial" / "-best" (1 when the judge's most
 * likely class is the prompted one; NaN for unconditional images), "noise-norm-best", "best-iteration" and
 * "evaluations". Stop keeps the best image so far of the chunk in flight.
 *
 * <p>Cost per image: network = evaluations × generator steps; backward = (evaluations − 1) × steps for the gradient
 * search (no backward after the last evaluation); reward = evaluations × rewards.
 */
public final class RenoSampler extends BatchSampler<RenoSampler.Config> {
    /** Parameters of ReNO; the reference's defaults, with lr scaled to the model's dimension. */
    public record Config(
            @Param(name = "iterations", dflt = "50", min = 1, max = 100000,
                    description = "evaluations per image (T); the gradient search takes T − 1 noise updates")
            int iterations,
            @Param(name = "steps", dflt = "1", min = 1, max = 64,
                    description = "Euler steps of the generator (1 for a one-step student); gradients flow back "
                            + "through every step, so memory grows with steps") int steps,
            @Param(name = "generator", dflt = "auto", choices = {"auto", "nitro"},
                    description = "auto: the model's own one-step generator, else 'steps' Euler steps of its field; "
                            + "nitro: NitroFusion's one-step prediction at the shifted level (a Nitro student)")
            String generator,
            @Param(name = "shift", dflt = "250", min = 1, max = 1000,
                    description = "with generator=nitro: the timestep shift (the model is told level ⌊999·shift/1000⌋)")
            int shift,
            @Param(name = "search", dflt = "gradient", choices = {"gradient", "image-select", "none"},
                    description = "gradient: ReNO; image-select: best of T fresh noises by the same reward; "
                            + "none: the initial image (no optimisation)") String search,
            @Param(name = "optimizer", dflt = "sgd", choices = {"sgd", "adam"},
                    description = "SGD with momentum (the reference's default) or Adam (ε = 1e-2)") String optimizer,
            @Param(name = "lr", dflt = "0", min = 0, max = 1e6,
                    description = "learning rate; 0 = 5·√(d/16384): the reference's lr 5 at d = 16384, scaled so the "
                            + "clipped step is the same share of ‖z‖ at this model's dimension") double lr,
            @Param(name = "momentum", dflt = "0.9", min = 0, max = 0.999, description = "SGD momentum μ")
            double momentum,
            @Param(name = "nesterov", dflt = "true", description = "Nesterov momentum (SGD)") boolean nesterov,
            @Param(name = "clip", dflt = "0.1", min = 1e-12, max = 1e12,
                    description = "the total gradient's norm is clipped to this before the optimiser step")
            double clip,
            @Param(name = "reg-weight", dflt = "0.01", min = 0, max = 1e6,
                    description = "λ of the noise-norm regulariser ½‖z‖² − (d−1)·ln‖z‖ (0 = off)") double regWeight,
            @Param(name = "rewards", dflt = "builtin:fashion-classifier=1",
                    description = "weighted rewards 'model=weight,…' or 'model=weight+…' (each a differentiable reward: "
                            + "a classifier's log p(prompted class | x), builtin:fashion-realism's log p(real | x)); "
                            + "the loss is −Σ weight·reward") String rewards,
            @Param(name = "judge", dflt = "builtin:fashion-judge",
                    description = "held-out judge scoring the initial and chosen images (never optimised); "
                            + "'none' = no judge") String judge) {
        public Config {
            parseRewards(rewards);
            if (judge.isBlank()) {
                throw new FlowbenchException("judge must be a classifier reference or 'none'");
            }
        }

        NoiseSearch.Mode mode() {
            return NoiseSearch.Mode.of(search);
        }

        /** The optimiser settings at dimension d. */
        NoiseOptimizer.Settings settings(int d) {
            return new NoiseOptimizer.Settings(optimizer, lr > 0 ? lr : NoiseOptimizer.scaledLr(d), momentum,
                    nesterov, clip, regWeight);
        }
    }

    /** A reward reference and its weight. */
    record WeightedReward(String ref, double weight) {}

    /** Parses 'ref=weight,ref=weight' or with '+' between (the weight after the last '='; a bare ref has weight 1). */
    static List<WeightedReward> parseRewards(String text) {
        List<WeightedReward> out = new ArrayList<>();
        for (String part : text.split("[,+]")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.lastIndexOf('=');
            double w = 1;
            String ref = p;
            if (eq > 0) {
                ref = p.substring(0, eq).trim();
                try {
                    w = Double.parseDouble(p.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    throw new FlowbenchException("reward weight in '" + p + "' is not a number",
                            "write rewards as model=weight, e.g. builtin:fashion-classifier=1");
                }
            }
            if (!Double.isFinite(w) || w == 0) {
                throw new FlowbenchException("reward weight in '" + p + "' must be finite and non-zero");
            }
            out.add(new WeightedReward(ref, w));
        }
        if (out.isEmpty()) {
            throw new FlowbenchException("ReNO needs at least one reward", "e.g. rewards=builtin:fashion-classifier=1");
        }
        return out;
    }

    public RenoSampler(Config config) {
        super("reno", "1", config);
    }

    /** One call's open rewards, judge and generator. */
    private static final class RenoRun implements RunState {
        final List<Model> opened = new ArrayList<>();
        final List<RewardModel> rewards = new ArrayList<>();
        final List<WeightedReward> refs;
        final double[] weights;
        Classifier judge;
        Model judgeModel;
        OneStepGenerator generator;
        int nitroLevel = -1;
        NoiseOptimizer.Settings settings;

        RenoRun(List<WeightedReward> refs) {
            this.refs = refs;
            this.weights = refs.stream().mapToDouble(WeightedReward::weight).toArray();
        }

        @Override
        public void describe(RunManifest.Builder mb) {
            List<Map<String, Object>> rs = new ArrayList<>();
            for (int k = 0; k < rewards.size(); k++) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("model", opened.get(k).id());
                r.put("hash", opened.get(k).hash());
                r.put("reward", rewards.get(k).rewardName());
                r.put("weight", weights[k]);
                rs.add(r);
            }
            mb.put("rewards", rs);
            if (judgeModel != null) {
                mb.put("judge", Map.of("model", judgeModel.id(), "hash", judgeModel.hash()));
            }
            mb.put("learningRate", settings.lr());
            mb.put("generatorEvaluationsPerImage", generator.evaluationsPerImage());
            if (nitroLevel >= 0) {
                mb.put("nitroShiftedLevel", nitroLevel);
                mb.put("nitroModelTime", ((org.flowbench.engine.model.AffineStepGenerator) generator).coefficients()
                        .time());
            }
        }

        @Override
        public void close() {
            for (Model m : opened) {
                m.close();
            }
            if (judgeModel != null) {
                judgeModel.close();
            }
        }
    }

    @Override
    protected RunState begin(SamplingRequest req, FlowModel model, ProgressListener listener,
                             CancellationToken cancel) {
        RenoRun run = new RenoRun(parseRewards(config().rewards()));
        try {
            for (WeightedReward w : run.refs) {
                Model m = RewardPackages.open(w.ref());
                run.opened.add(m);
                run.rewards.add(m.require(RewardModel.class, "a ReNO reward"));
            }
            if (!config().judge().equals("none")) {
                run.judgeModel = RewardPackages.open(config().judge());
                run.judge = run.judgeModel.require(Classifier.class, "ReNO's judge");
                for (Model m : run.opened) {
                    if (m.hash().equals(run.judgeModel.hash())) {
                        throw new FlowbenchException("the judge " + config().judge() + " is also one of the rewards: "
                                + "a judge must be held out", "choose another judge, or judge=none");
                    }
                }
            }
            if (config().generator().equals("nitro")) {
                if (config().steps() != 1) {
                    throw new FlowbenchException("generator=nitro is one step; steps is " + config().steps(),
                            "leave steps at 1");
                }
                run.generator = org.flowbench.samplers.onestep.NitroGenerator.create(
                        model.require(TensorField.class, "reno with generator=nitro"), config().shift());
                run.nitroLevel = org.flowbench.samplers.onestep.NitroGenerator.shiftedLevel(config().shift());
            } else {
                run.generator = model.as(OneStepGenerator.class).orElseGet(() -> EulerGenerator.uniform(
                        model.require(TensorField.class, "reno"), config().steps()));
            }
            if (config().mode() == NoiseSearch.Mode.GRADIENT && !run.generator.differentiable()) {
                throw new FlowbenchException("ReNO's gradient search needs gradients through " + model.id(),
                        "use search=image-select, or a built-in network model");
            }
            run.settings = config().settings(model.dim());
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    @Override
    protected long stepsPerImage(SamplingRequest req, FlowModel model) {
        return config().mode() == NoiseSearch.Mode.NONE ? 1 : config().iterations();
    }

    @Override
    protected double startTime(SamplingRequest req, FlowModel model) {
        return model.path().tStart();
    }

    @Override
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder manifest) {
        manifest.put("noiseDimension", model.dim());
        manifest.put("noiseNormTarget", Math.sqrt(model.dim() - 1.0));
    }

    @Override
    protected void integrate(Batch batch) {
        RenoRun run = batch.state();
        int n = batch.n;
        int d = batch.dim();
        Condition[] c = Condition.of(batch.labels, n);
        double[] z = new double[n * d];
        batch.noise(0, z);
        int steps = run.generator.evaluationsPerImage();
        int rewardCount = run.rewards.size();
        NoiseSearch.Objective objective = (zz, grad) -> {
            Gradients.Evaluation e = Gradients.evaluate(run.generator, run.rewards, run.weights, zz, c, grad);
            double[] loss = new double[n];
            for (int k = 0; k < rewardCount; k++) {
                for (int i = 0; i < n; i++) {
                    loss[i] -= run.weights[k] * e.rewards()[k][i];
                }
            }
            double[] g = null;
            if (grad) {
                g = e.gradient();
                for (int j = 0; j < g.length; j++) {
                    g[j] = -g[j];
                }
            }
            for (int i = 0; i < n; i++) {
                batch.chargeEvaluations(i, steps);
                batch.cost.add(CostLedger.REWARD, i, rewardCount);
                if (grad) {
                    batch.cost.add(CostLedger.BACKWARD, i, (long) steps * batch.model.networkEvaluationsPerState());
                }
            }
            return new NoiseSearch.Evaluation(loss, e.rewards(), e.images(), g);
        };
        int every = batch.request.previewEvery();
        NoiseSearch.Hooks hooks = new NoiseSearch.Hooks() {
            @Override
            public void evaluated(int k, double[] zk, NoiseSearch.Evaluation e) {
                double[] reward = new double[n];
                double[] norm = new double[n];
                for (int i = 0; i < n; i++) {
                    reward[i] = -e.loss()[i];
                    norm[i] = NoiseOptimizer.norm(zk, i * d, d);
                }
                batch.trace(k, Map.of("reward", reward, "noise-norm", norm));
                if (every > 0 && (k + 1) % every == 0) {
                    batch.preview(k + 1, e.images());
                }
                batch.progress(n);
            }

            @Override
            public void freshNoise(int k, double[] out) {
                batch.noise(k, out);
            }

            @Override
            public boolean stop() {
                return batch.cancelRequested();
            }
        };
        NoiseSearch.Outcome o = NoiseSearch.run(n, d, z, config().mode(), config().iterations(), run.settings,
                objective, hooks);
        System.arraycopy(o.bestImages(), 0, batch.x, 0, n * d);
        batch.extras(extras(o, run, batch.labels));
    }

    /** The per-image outputs besides the best images (see the class comment). */
    private static Map<String, double[]> extras(NoiseSearch.Outcome o, RenoRun run, int[] labels) {
        int n = o.n();
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("initial", o.initialImages());
        m.put("noise", o.bestNoise());
        double[] trace = o.lossTrace().clone();
        for (int j = 0; j < trace.length; j++) {
            trace[j] = -trace[j];
        }
        m.put("reward-trace", trace);
        m.put("noise-norm-trace", o.normTrace());
        m.put("reward-initial", negate(o.initialLoss()));
        m.put("reward-best", negate(o.bestLoss()));
        for (int k = 0; k < o.bestRewards().length; k++) {
            m.put("reward" + (k + 1) + "-initial", o.initialRewards()[k]);
            m.put("reward" + (k + 1) + "-best", o.bestRewards()[k]);
        }
        if (run.judge != null) {
            judge(run.judge, o.initialImages(), labels, n, "initial", m);
            judge(run.judge, o.bestImages(), labels, n, "best", m);
        }
        double[] norm = new double[n];
        double[] iter = new double[n];
        double[] evals = new double[n];
        for (int i = 0; i < n; i++) {
            norm[i] = NoiseOptimizer.norm(o.bestNoise(), i * o.dim(), o.dim());
            iter[i] = o.bestIteration()[i];
            evals[i] = o.evaluations();
        }
        m.put("noise-norm-best", norm);
        m.put("best-iteration", iter);
        m.put("evaluations", evals);
        return m;
    }

    private static void judge(Classifier judge, double[] images, int[] labels, int n, String which,
                              Map<String, double[]> out) {
        int k = judge.classes();
        double[] lp = new double[n * k];
        judge.logProbabilities(images, n, lp);
        double[] p = new double[n];
        double[] agrees = new double[n];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                p[i] = Double.NaN;
                agrees[i] = Double.NaN;
                continue;
            }
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (lp[i * k + j] > lp[i * k + best]) {
                    best = j;
                }
            }
            p[i] = Math.exp(lp[i * k + y]);
            agrees[i] = best == y ? 1 : 0;
        }
        out.put("judge-probability-" + which, p);
        out.put("judge-agrees-" + which, agrees);
    }

    private static double[] negate(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }
}
