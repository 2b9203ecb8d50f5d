package org.flowbench.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Safetensors;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * Step-level training for methods with several networks (a generator and a pool of discriminator heads, a student
 * and its frozen teacher): named parameter groups, each with its own {@link Adam} (learning rate, warm-up, betas,
 * clipping, EMA) and its own update count, and frozen groups that are inputs only. The caller drives the steps:
 * {@link #step} evaluates one loss with the given groups recording gradients (the others are constants), updates
 * exactly those groups, and leaves scheduling (alternation, step counts) to the method. Checkpoints hold every group's
 * weights, EMA, Adam moments and counters, with each group's hyper-parameters, and resume exactly.
 *
 * <p>Randomness: the loss gets a generator seeded by a pure function of (seed, step, stream), so a resumed run draws
 * what the uninterrupted run would have drawn.
 */
public final class StepTrainer implements AutoCloseable {
    /** The loss of one step from the groups' parameters (by group name) in the step's manager. */
    @FunctionalInterface
    public interface Loss {
        NDArray loss(NDManager m, Map<String, NDParams> params, SplittableRandom rng);
    }

    /** What one step did: the loss, each updated group's gradient norm (before clipping), whether it was skipped. */
    public record StepResult(long step, double loss, Map<String, Double> gradNorms, boolean skipped) {}

    /** A parameter group: weights, EMA, Adam moments and its own update count; frozen groups have no optimiser. */
    public static final class Group {
        final String name;
        final Adam adam;
        final ParamStore params;
        final ParamStore ema;
        final ParamStore m1;
        final ParamStore m2;
        long updates;

        Group(String name, Adam adam, ParamStore initial) {
            this.name = name;
            this.adam = adam;
            this.params = initial.copy();
            this.ema = adam == null ? null : initial.copy();
            this.m1 = adam == null ? null : Adam.zerosLike(initial);
            this.m2 = adam == null ? null : Adam.zerosLike(initial);
        }

        public ParamStore params() {
            return params;
        }

        /** The EMA weights (the weights themselves for a frozen group). */
        public ParamStore ema() {
            return ema == null ? params : ema;
        }

        public long updates() {
            return updates;
        }

        public boolean frozen() {
            return adam == null;
        }
    }

    private final long seed;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private NDManager own;
    private long step;
    private long skipped;

    public StepTrainer(long seed) {
        this.seed = seed;
    }

    /** A trainable group with its own optimiser. */
    public StepTrainer add(String name, ParamStore initial, Adam adam) {
        if (groups.containsKey(name)) {
            throw new IllegalArgumentException("group " + name + " exists");
        }
        groups.put(name, new Group(name, adam, initial));
        return this;
    }

    /** A frozen group: an input of the losses, never updated, recording no gradients. */
    public StepTrainer addFrozen(String name, ParamStore weights) {
        if (groups.containsKey(name)) {
            throw new IllegalArgumentException("group " + name + " exists");
        }
        groups.put(name, new Group(name, null, weights));
        return this;
    }

    /**
     * Re-initialises a trainable group: new weights (and EMA), zero Adam moments, update count 0; the group keeps its
     * optimiser settings (a discriminator head refreshed in a dynamic pool).
     */
    public void reset(String name, ParamStore initial) {
        Group old = group(name);
        if (old.frozen()) {
            throw new IllegalArgumentException("group " + name + " is frozen");
        }
        groups.put(name, new Group(name, old.adam, initial));
    }

    public Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no group " + name);
        }
        return g;
    }

    public long step() {
        return step;
    }

    public long skipped() {
        return skipped;
    }

    /** {@link #step(NDManager, Collection, Loss)} in a manager this trainer owns (freed by {@link #close}). */
    public StepResult step(Collection<String> update, Loss loss) {
        if (own == null) {
            own = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current());
        }
        return step(own, update, loss);
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
            own = null;
        }
    }

    /**
     * One step: the groups in {@code update} record gradients, all others enter as constants; the loss's gradient
     * updates exactly the groups in {@code update} (each with its own Adam, clipping and EMA). A non-finite loss or
     * gradient skips the step and changes no weight.
     */
    public StepResult step(NDManager base, Collection<String> update, Loss loss) {
        for (String u : update) {
            if (group(u).frozen()) {
                throw new IllegalArgumentException("group " + u + " is frozen");
            }
        }
        long s = step + 1;
        SplittableRandom rng = new SplittableRandom(Trainer.mix(seed, s, 2));
        Map<String, float[][]> grads = new LinkedHashMap<>();
        double lossValue;
        try (NDManager sub = base.newSubManager()) {
            Map<String, NDParams> p = new LinkedHashMap<>();
            for (Group g : groups.values()) {
                p.put(g.name, g.params.materialize(sub, update.contains(g.name)));
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.loss(sub, p, rng);
                lossValue = l.getFloat();
                if (Double.isFinite(lossValue)) {
                    gc.backward(l);
                }
            }
            if (Double.isFinite(lossValue)) {
                for (String u : update) {
                    List<String> names = group(u).params.names();
                    float[][] g = new float[names.size()][];
                    for (int i = 0; i < names.size(); i++) {
                        try (NDArray a = p.get(u).get(names.get(i)).getGradient()) {
                            g[i] = a.toFloatArray();
                        }
                    }
                    grads.put(u, g);
                }
            }
        }
        Map<String, Double> norms = new LinkedHashMap<>();
        boolean skip = !Double.isFinite(lossValue);
        for (Map.Entry<String, float[][]> e : grads.entrySet()) {
            double n = Adam.norm(e.getValue());
            norms.put(e.getKey(), n);
            skip |= !Double.isFinite(n);
        }
        if (skip) {
            skipped++;
        } else {
            for (String u : update) {
                Group g = group(u);
                Adam a = g.adam;
                long t = g.updates + 1;
                Adam.update(g.params, g.m1, g.m2, g.params.names(), grads.get(u), norms.get(u), a.lrAt(t), t,
                        a.beta1(), a.beta2(), a.eps(), a.clipNorm());
                g.updates = t;
                Adam.ema(g.ema, g.params, a.emaDecay(), t);
            }
        }
        step = s;
        return new StepResult(s, lossValue, norms, skip);
    }

    /** Every group's hyper-parameters by name (frozen groups say so), for the package's provenance. */
    public Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("steps", step);
        m.put("skippedSteps", skipped);
        Map<String, Object> gs = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            Map<String, Object> e = g.frozen() ? new LinkedHashMap<>(Map.of("frozen", true)) : g.adam.toMap();
            e.put("updates", g.updates);
            e.put("parameters", g.params.count());
            gs.put(g.name, e);
        }
        m.put("groups", gs);
        return m;
    }

    /** Writes every trainable group's weights, EMA and moments and the counters to one safetensors file, atomically. */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /** {@link #save(Path)} with the caller's metadata (settings to check on resume) stored beside the counters. */
    public void save(Path file, Map<String, String> extra) throws IOException {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("flowbench.checkpoint", "step-trainer/1");
        meta.put("seed", Long.toString(seed));
        meta.put("step", Long.toString(step));
        meta.put("skipped", Long.toString(skipped));
        for (Group g : groups.values()) {
            if (g.frozen()) {
                continue;
            }
            t.putAll(g.params.toTensors(g.name + "/param/"));
            t.putAll(g.ema.toTensors(g.name + "/ema/"));
            t.putAll(g.m1.toTensors(g.name + "/adam_m/"));
            t.putAll(g.m2.toTensors(g.name + "/adam_v/"));
            meta.put(g.name + ".updates", Long.toString(g.updates));
            meta.put(g.name + ".adam", Json.COMPACT.writeValueAsString(g.adam.toMap()));
        }
        Safetensors.write(file, t, meta);
    }

    /** Continues from a checkpoint of {@link #save}: the same seed and groups, with the same hyper-parameters. */
    public void resume(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FlowbenchException("no checkpoint at " + file, "train without --resume to start afresh");
        }
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!"step-trainer/1".equals(meta.get("flowbench.checkpoint"))) {
            throw new FlowbenchException(file + " is not a Flowbench step-trainer checkpoint");
        }
        if (Long.parseLong(meta.get("seed")) != seed) {
            throw new FlowbenchException("checkpoint " + file + " was trained with seed " + meta.get("seed") + ", not "
                    + seed, "resume with --seed " + meta.get("seed"));
        }
        for (Group g : groups.values()) {
            if (g.frozen()) {
                continue;
            }
            try {
                String saved = meta.get(g.name + ".adam");
                String now = Json.COMPACT.writeValueAsString(g.adam.toMap());
                if (!now.equals(saved)) {
                    throw new FlowbenchException("checkpoint " + file + ": group " + g.name + " was trained with "
                            + saved + ", not " + now, "resume with the same settings");
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            String what = "checkpoint " + file;
            g.params.load(c.tensors(), g.name + "/param/", what);
            g.ema.load(c.tensors(), g.name + "/ema/", what);
            g.m1.load(c.tensors(), g.name + "/adam_m/", what);
            g.m2.load(c.tensors(), g.name + "/adam_v/", what);
            g.updates = Long.parseLong(meta.get(g.name + ".updates"));
        }
        step = Long.parseLong(meta.get("step"));
        skipped = Long.parseLong(meta.get("skipped"));
    }
}
