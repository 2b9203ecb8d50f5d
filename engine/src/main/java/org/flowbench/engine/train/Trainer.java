package org.flowbench.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Safetensors;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.run.CancellationToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop: Adam with linear warm-up, global-norm gradient clipping, a guard that skips a step whose
 * loss or gradient is not finite, EMA of the weights with the warm-up rule {@code decay_k = min(decay, (1+k)/(10+k))}
 * (k = number of EMA updates so far, counting this one), a sub-{@link NDManager} per step closed at its end,
 * atomic checkpoints every few minutes and on cancel, and exact resume.
 *
 * <p>Exactness: every random choice of step s (data order, noise, times, label dropout) comes from
 * {@link SplittableRandom}s seeded by a pure function of (seed, s), and the optimiser runs on the Java heap in a
 * fixed order, so N steps give the same weights as N/2 steps, a checkpoint, a resume and N/2 more.
 *
 * <p>Memory safety: the master weights live in a {@link ParamStore}; each step materialises fresh parameter arrays
 * that record gradients inside the step's sub-manager, reads the gradients once, and closes everything with the
 * sub-manager. No gradient is zeroed or overwritten in place, so a skipped step leaves nothing behind.
 */
public final class Trainer<B> {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Draws the batch of step {@code step}; must depend only on its arguments. */
    @FunctionalInterface
    public interface BatchSource<B> {
        B batch(long step, SplittableRandom rng);
    }

    /** The scalar loss of one batch, built from NDArrays in {@code m} (the step's sub-manager). */
    @FunctionalInterface
    public interface Loss<B> {
        NDArray loss(NDManager m, NDParams params, B batch, SplittableRandom rng);
    }

    /** Progress once per step. */
    @FunctionalInterface
    public interface Listener {
        void step(Progress p);
    }

    public record Progress(long step, long totalSteps, double loss, double gradNorm, double lr, long skipped,
                           double secondsPerStep, double etaSeconds, boolean skippedThisStep) {}

    /** Hyper-parameters; see {@code reno-slimflow-nitro-fid.md} §2.5 for the reference defaults. */
    public record Config(long steps, double lr, int warmupSteps, double beta1, double beta2, double eps, double clipNorm,
                         double emaDecay, long seed, double checkpointSeconds) {
        public static Config defaults(long steps, long seed) {
            return new Config(steps, 2e-4, 5000, 0.9, 0.999, 1e-8, 1.0, 0.999999, seed, 300);
        }

        public Config withLr(double v) {
            return new Config(steps, v, warmupSteps, beta1, beta2, eps, clipNorm, emaDecay, seed, checkpointSeconds);
        }

        public Config withWarmup(int v) {
            return new Config(steps, lr, v, beta1, beta2, eps, clipNorm, emaDecay, seed, checkpointSeconds);
        }

        public Config withEma(double v) {
            return new Config(steps, lr, warmupSteps, beta1, beta2, eps, clipNorm, v, seed, checkpointSeconds);
        }

        public Config withCheckpointSeconds(double v) {
            return new Config(steps, lr, warmupSteps, beta1, beta2, eps, clipNorm, emaDecay, seed, v);
        }

        /** Every hyper-parameter by name, for the package's provenance (serialised from this record, not retyped). */
        public Map<String, Object> toMap() {
            return HyperParameters.of(this, "adam");
        }

        public Config withSteps(long v) {
            return new Config(v, lr, warmupSteps, beta1, beta2, eps, clipNorm, emaDecay, seed, checkpointSeconds);
        }
    }

    public record Result(long step, long skipped, double lastLoss, double seconds, boolean cancelled, boolean finished) {}

    private final Config cfg;
    private final ParamStore params;
    private final ParamStore ema;
    private final ParamStore adamM;
    private final ParamStore adamV;
    private long step;
    private long updates;
    private long skipped;
    private Path checkpoint;
    private Map<String, String> checkpointMetadata = Map.of();
    private double lastLoss = Double.NaN;
    private double priorSeconds;
    private long runStart = System.nanoTime();

    /** Starts from {@code initial} weights (copied). */
    public Trainer(Config cfg, ParamStore initial) {
        this.cfg = cfg;
        this.params = initial.copy();
        this.ema = initial.copy();
        this.adamM = Adam.zerosLike(initial);
        this.adamV = Adam.zerosLike(initial);
    }

    /** Where to write checkpoints (atomically, keeping one {@code .bak}), with extra metadata to store. */
    public Trainer<B> checkpointTo(Path file, Map<String, String> metadata) {
        this.checkpoint = file;
        this.checkpointMetadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        return this;
    }

    public Config config() {
        return cfg;
    }

    public ParamStore params() {
        return params;
    }

    public ParamStore ema() {
        return ema;
    }

    public long step() {
        return step;
    }

    public long skipped() {
        return skipped;
    }

    public long updates() {
        return updates;
    }

    /** EMA decay used for update number k (1-based). */
    public static double emaDecay(double decay, long k) {
        return Math.min(decay, (1.0 + k) / (10.0 + k));
    }

    /** Learning rate at (1-based) step s. */
    public double lrAt(long s) {
        return cfg.warmupSteps() <= 0 ? cfg.lr() : cfg.lr() * Math.min(1.0, s / (double) cfg.warmupSteps());
    }

    /** A well-mixed 64-bit seed from (seed, step, role): the per-step random streams of a resumable run. */
    public static long mix(long seed, long step, long role) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + role * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@link #run(NDManager, BatchSource, Loss, Listener, CancellationToken)} in a manager of its own. */
    public Result run(BatchSource<B> source, Loss<B> loss, Listener listener, CancellationToken cancel)
            throws IOException {
        try (NDManager base = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current())) {
            return run(base, source, loss, listener, cancel);
        }
    }

    /** Runs until {@code cfg.steps()} steps are done or cancel is requested (then writes a checkpoint). */
    public Result run(NDManager base, BatchSource<B> source, Loss<B> loss, Listener listener, CancellationToken cancel)
            throws IOException {
        long start = System.nanoTime();
        runStart = start;
        long lastCkpt = start;
        long firstStep = step;
        List<String> names = params.names();
        boolean cancelled = false;
        while (step < cfg.steps()) {
            if (cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            long s = step + 1;
            SplittableRandom dataRng = new SplittableRandom(mix(cfg.seed(), s, 1));
            SplittableRandom lossRng = new SplittableRandom(mix(cfg.seed(), s, 2));
            B batch = source.batch(s, dataRng);
            float[][] grads = new float[names.size()][];
            double lossValue;
            try (NDManager sub = base.newSubManager()) {
                NDParams p = params.materialize(sub, true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.loss(sub, p, batch, lossRng);
                    lossValue = l.getFloat();
                    if (Double.isFinite(lossValue)) {
                        gc.backward(l);
                    }
                }
                if (Double.isFinite(lossValue)) {
                    for (int i = 0; i < names.size(); i++) {
                        try (NDArray g = p.get(names.get(i)).getGradient()) {
                            grads[i] = g.toFloatArray();
                        }
                    }
                }
            }
            double norm = Double.NaN;
            boolean skip = !Double.isFinite(lossValue);
            if (!skip) {
                norm = Adam.norm(grads);
                skip = !Double.isFinite(norm);
            }
            double lr = lrAt(s);
            if (skip) {
                skipped++;
                LOG.warn("step {}: non-finite loss {} or gradient norm {}; step skipped", s, lossValue, norm);
            } else {
                Adam.update(params, adamM, adamV, names, grads, norm, lr, updates + 1, cfg.beta1(), cfg.beta2(),
                        cfg.eps(), cfg.clipNorm());
                updates++;
                Adam.ema(ema, params, cfg.emaDecay(), updates);
                lastLoss = lossValue;
            }
            step = s;
            long now = System.nanoTime();
            double perStep = (now - start) / 1e9 / (step - firstStep);
            if (listener != null) {
                listener.step(new Progress(step, cfg.steps(), lossValue, norm, lr, skipped, perStep,
                        perStep * (cfg.steps() - step), skip));
            }
            if (checkpoint != null && (now - lastCkpt) / 1e9 >= cfg.checkpointSeconds()) {
                save(checkpoint);
                lastCkpt = now;
            }
        }
        if (checkpoint != null) {
            save(checkpoint);
        }
        return new Result(step, skipped, lastLoss, (System.nanoTime() - start) / 1e9, cancelled, step >= cfg.steps());
    }

    /** Writes weights, EMA weights, Adam moments and the counters to one safetensors file, atomically. */
    public void save(Path file) throws IOException {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.putAll(params.toTensors("param/"));
        t.putAll(ema.toTensors("ema/"));
        t.putAll(adamM.toTensors("adam_m/"));
        t.putAll(adamV.toTensors("adam_v/"));
        Map<String, String> meta = new LinkedHashMap<>(checkpointMetadata);
        meta.put("flowbench.checkpoint", "1");
        meta.put("step", Long.toString(step));
        meta.put("updates", Long.toString(updates));
        meta.put("skipped", Long.toString(skipped));
        meta.put("seed", Long.toString(cfg.seed()));
        meta.put("totalSteps", Long.toString(cfg.steps()));
        meta.put("lastLoss", Double.toString(lastLoss));
        meta.put("wallSeconds", Double.toString(wallSeconds()));
        Safetensors.write(file, t, meta);
        LOG.info("checkpoint at step {} written to {}", step, file);
    }

    /** Continues from a checkpoint written by {@link #save}; the seed must match. */
    public void resume(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FlowbenchException("no checkpoint at " + file, "train without --resume to start afresh");
        }
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!"1".equals(meta.get("flowbench.checkpoint"))) {
            throw new FlowbenchException(file + " is not a Flowbench training checkpoint");
        }
        long seed = Long.parseLong(meta.get("seed"));
        if (seed != cfg.seed()) {
            throw new FlowbenchException("checkpoint " + file + " was trained with seed " + seed + ", not " + cfg.seed(),
                    "resume with --seed " + seed);
        }
        params.load(c.tensors(), "param/", "checkpoint " + file);
        ema.load(c.tensors(), "ema/", "checkpoint " + file);
        adamM.load(c.tensors(), "adam_m/", "checkpoint " + file);
        adamV.load(c.tensors(), "adam_v/", "checkpoint " + file);
        step = Long.parseLong(meta.get("step"));
        updates = Long.parseLong(meta.get("updates"));
        skipped = Long.parseLong(meta.get("skipped"));
        lastLoss = Double.parseDouble(meta.getOrDefault("lastLoss", "NaN"));
        priorSeconds = Double.parseDouble(meta.getOrDefault("wallSeconds", "0"));
        runStart = System.nanoTime();
    }

    /** Training wall time over all runs so far (resumes add up). */
    public double wallSeconds() {
        return priorSeconds + (System.nanoTime() - runStart) / 1e9;
    }

    public double lastLoss() {
        return lastLoss;
    }

    /** Metadata of a checkpoint file, without loading the trainer. */
    public static Map<String, String> checkpointMetadata(Path file) {
        return Safetensors.read(file).metadata();
    }
}
