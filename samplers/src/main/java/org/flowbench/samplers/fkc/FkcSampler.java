package org.flowbench.samplers.fkc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.GridSampler;
import org.flowbench.samplers.Param;
import org.flowbench.samplers.Schedule;
import org.flowbench.samplers.TimeGrid;

/**
 * Feynman–Kac correctors: particles follow the reverse SDE of a target p_t ∝ Π_i q_i,t^{β_i} built from expert
 * models and carry log-weights whose increments make the weighted population track p_t exactly (in the
 * continuous-time limit); resampling keeps the population healthy.
 *
 * <p>Per step from t_a to t_b = t_a + h, with g² = g²(t_a) the path's own squared diffusion, s_i the expert
 * scores at (x, t_a), S = Σ β_i s_i, B = Σ β_i and V = Σ β_i v_i + (1 − B)(α'/α)x (the target's probability-flow
 * velocity; v_i = (α'/α)x + ½g² s_i):
 * <pre>
 *   x ← x + h·(V + ½ζ²·g²·S) + ζ·sqrt(g² h)·ξ          (ζ = 1 target-score, ζ = 1/√B tempered-noise)
 *   log w ← log w + ½·g²·h·(‖S‖² − Σ β_i ‖s_i‖²)
 * </pre>
 * which is Prop. 3.1 (CFG: q_u^{1−w} q_c^w), 3.2 (annealing q^β), 3.3 (products) and the general Π q_i^{β_i} row;
 * no divergence is needed. The particle-independent ∇·f terms are dropped. ζ and the drift coefficient
 * (1 + ζ²)/2 satisfy the condition under which the Laplacian terms cancel, so the weight rule is the same for both
 * variants.
 *
 * <p><b>Populations.</b> With {@code output=first} or {@code best-weight} every requested image i has its own
 * population of {@code particles} particles whose noise is keyed by (image i, particle j): image i's result is a
 * pure function of (seed, i, label) whatever the batch, and its NFE is particles × steps × experts. With
 * {@code output=all} the particles are the images themselves: images with absolute indices in
 * [k·P, (k+1)·P) (P = {@code particles}) and the same label form population k, and image i's noise is the plain
 * sampler's noise of image i; results depend on which images of a population are requested together, never on the
 * batch size; NFE per image is steps × experts.
 *
 * <p><b>Batching.</b> When all experts are the same model (CFG: the null class and the prompted class of one
 * class-conditional network) each step makes one batched call of experts × particles states; NFE still counts
 * every state evaluated, so CFG+FKC with P particles costs 2·P·steps per image.
 */
public final class FkcSampler extends GridSampler<FkcSampler.Config> {
    /** Parameters of FKC. */
    public record Config(
            @Param(name = "steps", dflt = "100", min = 1, max = 100000, description = "number of SDE steps") int steps,
            @Param(name = "grid", dflt = "edm", choices = {"uniform", "edm", "list"},
                    description = "time grid (EDM-ρ on σ/α by default)") String grid,
            @Param(name = "rho", dflt = "7", min = 1, max = 20, description = "ρ of the EDM grid") double rho,
            @Param(name = "times", dflt = "", description = "comma-separated times for grid=list") String times,
            @Param(name = "target", dflt = "cfg", choices = {"cfg", "anneal", "product"},
                    description = "cfg: q_u^(1−w)·q_c^w; anneal: q^beta; product: q^beta · expert2^beta2") String target,
            @Param(name = "beta", dflt = "2", min = 0.01, max = 100,
                    description = "exponent of the model (anneal, product)") double beta,
            @Param(name = "beta2", dflt = "-1", min = -1, max = 100,
                    description = "exponent of expert2 for product; −1 = same as beta") double beta2,
            @Param(name = "guidance", dflt = "2", min = 0, max = 100, description = "CFG weight w (cfg)") double guidance,
            @Param(name = "expert2", dflt = "", description = "second expert (model reference) for target=product")
            String expert2,
            @Param(name = "variant", dflt = "target-score", choices = {"target-score", "tempered-noise"},
                    description = "SDE of the family: target-score (ζ = 1) or tempered noise (ζ = 1/√Σβ)") String variant,
            @Param(name = "particles", dflt = "8", min = 1, max = 1048575,
                    description = "population size (per image for first/best-weight; images per population for all)")
            int particles,
            @Param(name = "output", dflt = "first", choices = {"all", "first", "best-weight"},
                    description = "all: every particle is an image; first: one particle drawn from the final "
                            + "weighted population; best-weight: the particle of largest final weight") String output,
            @Param(name = "resample", dflt = "systematic", choices = {"systematic", "multinomial", "none"},
                    description = "resampling scheme; none = no resampling during the run, one final systematic "
                            + "draw from the accumulated (self-normalised) weights") String resample,
            @Param(name = "ess-threshold", dflt = "0", min = 0, max = 1,
                    description = "0: resample every step in the interval; τ > 0: only when ESS < τ·N "
                            + "(weights accumulate between events)") double essThreshold,
            @Param(name = "interval", dflt = "0,1",
                    description = "active interval 'a,b' in normalised generation time (0 = noise, 1 = data); "
                            + "weights outside it are not updated (biased unless 0,1)") String interval,
            @Param(name = "init", dflt = "prior", choices = {"prior", "exact"},
                    description = "prior: start from N(0, σ²/Σβ); exact: plus initial importance weights "
                            + "Σβ log q_i − log N (analytic experts only)") String init,
            @Param(name = "center", dflt = "false",
                    description = "subtract the population mean of each increment (no effect on resampling)")
            boolean center,
            @Param(name = "clamp", dflt = "0", min = 0, max = 1e6,
                    description = "clamp increments to ±clamp after centring; 0 = off (biased when on)") double clamp,
            @Param(name = "correct", dflt = "true",
                    description = "false: the same SDE without weights or resampling (the heuristic baseline)")
            boolean correct) {
        public Config {
            double[] iv = parseInterval(interval);
            if (!(iv[0] >= 0 && iv[1] <= 1 && iv[0] < iv[1])) {
                throw new FlowbenchException("interval '" + interval + "' must be 'a,b' with 0 ≤ a < b ≤ 1");
            }
            if (target.equals("product") && expert2.isBlank()) {
                throw new FlowbenchException("target=product needs expert2=<model reference>");
            }
        }

        double[] activeInterval() {
            return parseInterval(interval);
        }

        private static double[] parseInterval(String text) {
            String[] parts = text.split(",");
            if (parts.length != 2) {
                throw new FlowbenchException("interval '" + text + "' must be two numbers 'a,b'");
            }
            try {
                return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
            } catch (NumberFormatException e) {
                throw new FlowbenchException("interval '" + text + "' must be two numbers 'a,b'");
            }
        }
    }

    /** Sees the population after every step (tests, diagnostics). States are at time {@code t}. */
    public interface Observer {
        void afterStep(int step, double t, double[] x, double[] logw, int[] popStart, int[] popSize);
    }

    /** One factor q_i^{β_i} of the target: a model, its label per particle, its exponent. */
    record Expert(FlowModel model, int[] labels, double beta) {}

    private static final int INIT_STREAM = 0;

    private final Observer observer;

    public FkcSampler(Config config) {
        this(config, null);
    }

    private FkcSampler(Config config, Observer observer) {
        super("fkc", "2", config); // 2: no noise on the final step
        this.observer = observer;
    }

    /** Where FKC steps: the SDE grid its {@code grid} parameter names. */
    @Override
    public Schedule schedule() {
        return TimeGrid.schedule(config().grid(), config().steps(), config().rho(), config().times(), true);
    }

    /** ζ of the chosen SDE for the exponent the noise is tempered by. */
    static double zeta(String variant, double exponent) {
        return variant.equals("tempered-noise") ? 1 / Math.sqrt(exponent) : 1;
    }

    /**
     * The exponent β of the tempered-noise member ζ = 1/√β (method reference §2.2): the annealing exponent; for a
     * product (q1·q2)^β the product's β — each factor's, not their sum (the mean when beta2 differs); Σβ = 1 for CFG.
     */
    static double temperingExponent(String target, double[] betas, double total) {
        if (!target.equals("product")) {
            return total;
        }
        double sum = 0;
        for (double b : betas) {
            sum += b;
        }
        return sum / betas.length;
    }

    /** The same run with an observer that sees the population after every step. */
    public SampleBatch sample(SamplingRequest req, FlowModel model, ProgressListener listener,
                              CancellationToken cancel, Observer observer) {
        return new FkcSampler(config(), observer).sample(req, model, listener, cancel);
    }

    @Override
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder mb) {
        super.describe(req, model, mb);
        mb.put("population", config().output().equals("all")
                ? "images with the same label in blocks of 'particles' absolute image indices"
                : "'particles' particles per image, noise keyed by (image, particle)");
    }

    /** One call's second expert (target=product), time grid and diagnostics. */
    private static final class FkcRun implements RunState {
        final FlowModel second;
        final double[] t;
        final Diagnostics diag;

        FkcRun(FlowModel second, double[] t) {
            this.second = second;
            this.t = t;
            this.diag = new Diagnostics(t.length - 1);
        }

        @Override
        public void describe(RunManifest.Builder mb) {
            if (second != null) {
                mb.put("expert2", second.id());
                mb.put("expert2Hash", second.hash());
            }
            mb.put("populations", diag.populations);
            diag.put(mb);
        }

        @Override
        public void close() {
            if (second != null) {
                second.close();
            }
        }
    }

    @Override
    protected RunState begin(SamplingRequest req, FlowModel model, ProgressListener listener,
                             CancellationToken cancel) {
        schedule().prepare(model, req.conditioningCycle(), listener, cancel);
        FlowModel second = null;
        if (config().target().equals("product")) {
            second = Models.open(config().expert2());
            if (second.dim() != model.dim() || !second.path().equals(model.path())) {
                FlowModel s2 = second;
                second.close();
                throw s2.dim() != model.dim()
                        ? new FlowbenchException("expert2 " + s2.id() + " has dimension " + s2.dim()
                                + ", the model has " + model.dim())
                        : new FlowbenchException("expert2 " + s2.id() + " uses path " + s2.path().id()
                                + ", the model uses " + model.path().id(), "both experts must share one noise path");
            }
        }
        return new FkcRun(second, grid(model, req));
    }

    /**
     * output=all: the images of one population (same label, same block of 'particles' absolute indices) together;
     * otherwise consecutive images, as many per chunk as the batch holds populations.
     */
    @Override
    protected List<int[]> chunks(SamplingRequest req) {
        List<int[]> chunks = new ArrayList<>();
        int pSize = config().particles();
        if (config().output().equals("all")) {
            Map<Long, List<Integer>> pops = new LinkedHashMap<>();
            for (int i = 0; i < req.n(); i++) {
                long block = (req.firstImage() + i) / pSize;
                long key = block * 1_000_003L + (req.label(i) + 1);
                pops.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> p : pops.values()) {
                chunks.add(p.stream().mapToInt(Integer::intValue).toArray());
            }
        } else {
            int per = Math.max(1, req.batch() / pSize);
            for (int from = 0; from < req.n(); from += per) {
                int b = Math.min(per, req.n() - from);
                int[] c = new int[b];
                for (int i = 0; i < b; i++) {
                    c[i] = from + i;
                }
                chunks.add(c);
            }
        }
        return chunks;
    }

    /** Per-step diagnostics averaged over populations. */
    static final class Diagnostics {
        final double[] ess;
        final double[] unique;
        final double[] incVar;
        final int[] resampled;
        int populations;

        Diagnostics(int steps) {
            ess = new double[steps];
            unique = new double[steps];
            incVar = new double[steps];
            resampled = new int[steps];
        }

        void put(RunManifest.Builder mb) {
            int p = Math.max(1, populations);
            List<Double> e = new ArrayList<>();
            List<Double> u = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            double minEss = Double.POSITIVE_INFINITY;
            long events = 0;
            for (int k = 0; k < ess.length; k++) {
                e.add(ess[k] / p);
                u.add(unique[k] / p);
                v.add(incVar[k] / p);
                minEss = Math.min(minEss, ess[k] / p);
                events += resampled[k];
            }
            mb.put("essFraction", e);
            mb.put("uniqueAncestorFraction", u);
            mb.put("incrementVariance", v);
            mb.put("minEssFraction", minEss);
            mb.put("resampleEvents", events);
        }
    }

    private List<Expert> experts(FlowModel model, FlowModel second, int[] labels) {
        int n = labels.length;
        List<Expert> ex = new ArrayList<>();
        switch (config().target()) {
            case "cfg" -> {
                boolean anyLabel = Arrays.stream(labels).anyMatch(l -> l != FlowModel.UNCONDITIONAL);
                double w = config().guidance();
                if (!anyLabel || w == 1) {
                    ex.add(new Expert(model, labels, 1.0)); // unconditional images or w = 1: the plain SDE
                } else {
                    int[] uncond = new int[n];
                    Arrays.fill(uncond, FlowModel.UNCONDITIONAL);
                    ex.add(new Expert(model, uncond, 1 - w));
                    ex.add(new Expert(model, labels, w));
                }
            }
            case "anneal" -> ex.add(new Expert(model, labels, config().beta()));
            case "product" -> {
                ex.add(new Expert(model, labels, config().beta()));
                int[] l2 = second.classNames().isEmpty() ? new int[n] : labels;
                if (second.classNames().isEmpty()) {
                    Arrays.fill(l2, FlowModel.UNCONDITIONAL);
                }
                ex.add(new Expert(second, l2, config().beta2() < 0 ? config().beta() : config().beta2()));
            }
            default -> throw new IllegalStateException(config().target());
        }
        return ex;
    }

    @Override
    protected void integrate(Batch b) {
        FkcRun run = b.state();
        SamplingRequest req = b.request;
        FlowModel model = b.model;
        double[] t = run.t;
        Diagnostics diag = run.diag;
        boolean all = config().output().equals("all");
        NoisePath path = model.path();
        int d = model.dim();
        int steps = t.length - 1;
        int images = b.n;
        int per = all ? 1 : config().particles();
        int n = all ? images : images * per;
        int len = n * d;
        // population layout and keys
        int pops = all ? 1 : images;
        int[] popStart = new int[pops];
        int[] popSize = new int[pops];
        long[] popKey = new long[pops];
        long[] noiseKey = new long[n];
        int[] labels = new int[n];
        if (all) {
            popStart[0] = 0;
            popSize[0] = images;
            long block = b.images[0] / config().particles();
            popKey[0] = (block << 16) ^ (b.labels[0] + 1);
            for (int i = 0; i < images; i++) {
                noiseKey[i] = b.images[i];
                labels[i] = b.labels[i];
            }
        } else {
            for (int i = 0; i < images; i++) {
                long image = b.images[i];
                popStart[i] = i * per;
                popSize[i] = per;
                popKey[i] = image;
                for (int j = 0; j < per; j++) {
                    noiseKey[i * per + j] = (image << 20) | j;
                    labels[i * per + j] = b.labels[i];
                }
            }
        }
        diag.populations += pops;
        List<Expert> ex = experts(model, run.second, labels);
        int e = ex.size();
        double bTotal = 0;
        for (Expert x : ex) {
            bTotal += x.beta();
        }
        if (config().target().equals("cfg")) {
            bTotal = 1; // (1 − w) + w, exactly
        }
        double[] betas = new double[e];
        for (int i = 0; i < e; i++) {
            betas[i] = ex.get(i).beta();
        }
        double zeta = zeta(config().variant(), temperingExponent(config().target(), betas, bTotal));
        double driftC = 0.5 * zeta * zeta; // coefficient of g²·S on top of the target PF velocity V
        boolean correct = config().correct();
        double[] iv = config().activeInterval();
        double span = path.tEnd() - path.tStart();

        // initial states: N(0, σ(t0)²/B)
        double[] x = new double[len];
        for (int p = 0; p < n; p++) {
            NoiseSource.gaussian(req.seed(), noiseKey[p], 0, x, p * d, d);
        }
        double std = path.sigma(t[0]) / Math.sqrt(bTotal);
        for (int i = 0; i < len; i++) {
            x[i] *= std;
        }
        double[] logw = new double[n];
        if (correct && config().init().equals("exact")) {
            initialWeights(ex, x, n, d, t[0], std, logw);
            for (int q = 0; q < pops; q++) {
                resample(req, popKey[q], INIT_STREAM, popStart[q], popSize[q], x, logw, d, -1, diag, true);
            }
        }
        double[][] v = new double[e][len];
        boolean oneModel = e > 1 && ex.stream().allMatch(q -> q.model() == ex.get(0).model());
        double[] stacked = oneModel ? new double[e * len] : null;
        double[] stackedV = oneModel ? new double[e * len] : null;
        int[] stackedLabels = null;
        if (oneModel) {
            stackedLabels = new int[e * n];
            for (int i = 0; i < e; i++) {
                System.arraycopy(ex.get(i).labels(), 0, stackedLabels, i * n, n);
            }
        }
        double[][] s = new double[e][len];
        double[] vt = new double[len];
        double[] st = new double[len];
        double[] z = new double[len];
        double[] inc = new double[n];
        boolean best = config().output().equals("best-weight");
        int[] chosen = new int[pops];
        for (int k = 0; k < steps; k++) {
            double ta = t[k];
            double h = t[k + 1] - ta;
            if (stacked != null) {
                // all experts are one model (CFG: null class and prompted class): one batched call of e·n states
                for (int i = 0; i < e; i++) {
                    System.arraycopy(x, 0, stacked, i * len, len);
                }
                ex.get(0).model().velocity(stacked, e * n, ta, stackedLabels, stackedV);
                for (int i = 0; i < e; i++) {
                    System.arraycopy(stackedV, i * len, v[i], 0, len);
                }
            } else {
                for (int i = 0; i < e; i++) {
                    Expert x1 = ex.get(i);
                    x1.model().velocity(x, n, ta, x1.labels(), v[i]);
                }
            }
            for (int i = 0; i < e; i++) {
                Parameterization.convert(path, ta, Parameterization.VELOCITY, Parameterization.SCORE, x, v[i], s[i],
                        len);
            }
            double g2 = path.diffusionSquared(ta);
            // target velocity and score
            for (int c = 0; c < len; c++) {
                double a = 0;
                double sc = 0;
                for (int i = 0; i < e; i++) {
                    a += betas[i] * v[i][c];
                    sc += betas[i] * s[i][c];
                }
                vt[c] = a;
                st[c] = sc;
            }
            if (bTotal != 1) {
                double ratio = path.dAlpha(ta) / path.alpha(ta);
                if (ratio != 0) {
                    for (int c = 0; c < len; c++) {
                        vt[c] += (1 - bTotal) * ratio * x[c];
                    }
                }
            }
            double u = (ta - path.tStart()) / span;
            boolean active = correct && u >= iv[0] - 1e-12 && u <= iv[1] + 1e-12;
            if (active) {
                double coef = 0.5 * g2 * h;
                for (int p = 0; p < n; p++) {
                    int off = p * d;
                    double q = 0;
                    for (int c = off; c < off + d; c++) {
                        double sc = st[c];
                        double r = sc * sc;
                        for (int i = 0; i < e; i++) {
                            double si = s[i][c];
                            r -= betas[i] * si * si;
                        }
                        q += r;
                    }
                    inc[p] = coef * q;
                }
            }
            int every = req.previewEvery();
            if (every > 0 && (k + 1) % every == 0) {
                preview(b, path, ta, all, per, d, x, vt, k + 1);
            }
            // the SDE step (noise of slot p from (seed, key_p, stream k + 1))
            for (int p = 0; p < n; p++) {
                NoiseSource.gaussian(req.seed(), noiseKey[p], k + 1, z, p * d, d);
            }
            // the last step ends at the data, where the path has no noise: the transition's mean, nothing drawn
            double sq = k == steps - 1 ? 0 : Math.sqrt(g2 * h);
            if (zeta != 1) {
                sq *= zeta;
            }
            for (int c = 0; c < len; c++) {
                x[c] += h * (vt[c] + driftC * g2 * st[c]) + sq * z[c];
            }
            for (int q = 0; q < pops; q++) {
                int from = popStart[q];
                int size = popSize[q];
                if (active) {
                    double mean = 0;
                    for (int p = from; p < from + size; p++) {
                        mean += inc[p];
                    }
                    mean /= size;
                    double var = 0;
                    for (int p = from; p < from + size; p++) {
                        double dv = inc[p] - mean;
                        var += dv * dv;
                    }
                    diag.incVar[k] += var / size;
                    for (int p = from; p < from + size; p++) {
                        double a = inc[p];
                        if (config().center()) {
                            a -= mean;
                        }
                        if (config().clamp() > 0) {
                            a = Math.max(-config().clamp(), Math.min(config().clamp(), a));
                        }
                        logw[p] += a;
                    }
                }
                boolean last = k == steps - 1;
                if (!all && last) {
                    // first: one particle drawn from the final weighted population; best-weight: the heaviest
                    double[] pr = Resampler.probabilities(logw, from, size);
                    diag.ess[k] += Resampler.ess(pr) / size;
                    diag.unique[k] += 1;
                    int pick = 0;
                    if (best) {
                        for (int j = 1; j < size; j++) {
                            if (pr[j] > pr[pick]) {
                                pick = j;
                            }
                        }
                    } else if (correct) {
                        pick = Resampler.draw(pr, NoiseSource.uniform(req.seed(), popKey[q], k + 1, 0));
                    }
                    chosen[q] = from + pick;
                    continue;
                }
                if (active || (last && correct)) {
                    resample(req, popKey[q], k + 1, from, size, x, logw, d, k, diag, last);
                } else {
                    diag.ess[k] += 1;
                    diag.unique[k] += 1;
                }
            }
            // every particle evaluated every expert once; a CFG pair is one guided evaluation
            boolean cfgPair = config().target().equals("cfg") && e == 2 && !model.guided();
            for (int p = 0; p < n; p++) {
                int img = all ? p : p / per;
                b.chargeEvaluations(img, e);
                if (cfgPair) {
                    b.cost.add(CostLedger.GUIDED, img, 1);
                }
            }
            if (observer != null) {
                observer.afterStep(k, t[k + 1], x, logw, popStart, popSize);
            }
            b.progress(images);
            b.checkCancel();
        }
        b.cost.addAll(CostLedger.PARTICLES, per);
        // outputs
        for (int i = 0; i < images; i++) {
            int src = all ? i : chosen[i];
            System.arraycopy(x, src * d, b.x, i * d, d);
        }
    }

    /** Preview: x̂1 of the output particles (slot 0 of each population) from the target's velocity at the step start. */
    private void preview(Batch b, NoisePath path, double ta, boolean all, int per, int d, double[] x, double[] vt,
                         int step) {
        int images = b.n;
        double[] xs = new double[images * d];
        double[] vs = new double[images * d];
        for (int i = 0; i < images; i++) {
            int src = all ? i : i * per;
            System.arraycopy(x, src * d, xs, i * d, d);
            System.arraycopy(vt, src * d, vs, i * d, d);
        }
        double[] x1 = new double[images * d];
        Parameterization.convert(path, ta, Parameterization.VELOCITY, Parameterization.DATA, xs, vs, x1, x1.length);
        if (all) {
            for (int i = 0; i < images; i++) {
                double[] one = Arrays.copyOfRange(x1, i * d, (i + 1) * d);
                b.preview(b.images[i], 1, step, one);
            }
        } else {
            b.preview(step, x1);
        }
    }

    private void initialWeights(List<Expert> ex, double[] x, int n, int d, double t0, double std, double[] logw) {
        List<KnownDistribution> known = new ArrayList<>();
        for (Expert e : ex) {
            known.add(e.model().as(KnownDistribution.class).orElseThrow(() -> new FlowbenchException(
                    "init=exact needs analytic experts (log-densities); " + e.model().id() + " has none",
                    "use init=prior")));
        }
        double logNorm = -0.5 * d * Math.log(2 * Math.PI * std * std);
        for (int p = 0; p < n; p++) {
            double w = 0;
            for (int i = 0; i < ex.size(); i++) {
                Expert e = ex.get(i);
                w += e.beta() * known.get(i).logDensity(x, p * d, t0, e.labels()[p]);
            }
            double q = 0;
            for (int c = p * d; c < (p + 1) * d; c++) {
                q += x[c] * x[c];
            }
            logw[p] = w - (logNorm - 0.5 * q / (std * std));
        }
    }

    /**
     * Resamples one population when its rule says so (every active step, or ESS below the threshold; always when
     * {@code force} and the weights are not uniform), resetting its log-weights; records ESS and unique ancestors.
     */
    private void resample(SamplingRequest req, long key, int stream, int from, int size, double[] x, double[] logw,
                          int d, int k, Diagnostics diag, boolean force) {
        double[] p = Resampler.probabilities(logw, from, size);
        double ess = Resampler.ess(p);
        boolean uniform = Resampler.uniform(logw, from, size);
        boolean none = config().resample().equals("none");
        boolean due = !uniform && (force || (!none && (config().essThreshold() == 0
                || ess < config().essThreshold() * size)));
        int unique = size;
        if (due) {
            int[] a;
            if (config().resample().equals("multinomial")) { // resample=none: one final systematic draw
                double[] us = new double[size];
                for (int j = 0; j < size; j++) {
                    us[j] = NoiseSource.uniform(req.seed(), key, stream, j);
                }
                a = Resampler.multinomial(p, us);
            } else {
                a = Resampler.systematic(p, NoiseSource.uniform(req.seed(), key, stream, 0));
            }
            unique = Resampler.unique(a);
            double[] copy = Arrays.copyOfRange(x, from * d, (from + size) * d);
            if (d == 1) {
                for (int j = 0; j < size; j++) {
                    x[from + j] = copy[a[j]];
                }
            } else {
                for (int j = 0; j < size; j++) {
                    System.arraycopy(copy, a[j] * d, x, (from + j) * d, d);
                }
            }
            Arrays.fill(logw, from, from + size, 0);
            if (k >= 0) {
                diag.resampled[k]++;
            }
        }
        if (k >= 0) {
            diag.ess[k] += ess / size;
            diag.unique[k] += (double) unique / size;
        }
    }
}
