package org.flowbench.samplers.onestep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.NitroTraining;
import org.flowbench.engine.train.Trainer;

/**
 * The NitroFusion student on images: {@link NitroTraining} driven over a SlimFlow pair store (its x1 are the teacher's
 * multi-step samples: the "real" side), with progress, cancel, checkpoints that resume exactly, and a package of the
 * student's EMA weights at the end, sampled with {@code nitro}.
 */
public final class Nitro {
    private Nitro() {}

    /** What to train: steps and seed besides the method's settings. */
    public record Run(long steps, long seed, NitroTraining.Settings settings) {
        Map<String, Object> toMap() {
            // the step count is not a setting: a run may be extended with --resume and more --steps
            Map<String, Object> m = new LinkedHashMap<>(settings.toMap());
            m.put("seed", seed);
            m.put("realSide", "teacher samples of the pair store (x1) with their classes");
            m.put("studentInit", "the teacher's weights");
            m.put("backbone", "the frozen teacher's middle block, unconditional, on images re-noised to RF time "
                    + "1 - level/1000");
            return m;
        }
    }

    /** A progress line's figures. */
    public record Progress(long step, long steps, NitroTraining.StepLog log, double secondsPerStep) {}

    /**
     * Trains into {@code out} (checkpoint, then the package when finished); resumes an existing checkpoint only when
     * {@code resume} and the settings are the same.
     */
    public static Trainer.Result train(Path pairsDir, ModelPackage teacher, Run run, Path out, boolean resume,
                                       double checkpointSeconds, String command, Consumer<Progress> listener,
                                       CancellationToken cancel) throws IOException {
        TeacherPairs.Pairs pairs = TeacherPairs.load(pairsDir);
        FlowUNet net = teacher.architecture(FlowUNet::fromConfig);
        if (pairs.dim() != 784) {
            throw new FlowbenchException("Nitro trains on 1×28×28 images; the pairs have " + pairs.dim() + " values");
        }
        ParamStore tw = net.init(0);
        teacher.loadWeights(tw);
        NitroTraining nt = new NitroTraining(net, tw, run.settings(), run.seed());
        Map<String, Object> settings = run.toMap();
        Map<String, String> meta = SlimFlow.checkpointMeta(net, settings, pairs, command);
        Path ckpt = out.resolve(SlimFlow.CHECKPOINT);
        Files.createDirectories(out);
        if (SlimFlow.resumes(out, ckpt, resume, meta)) {
            nt.trainer().resume(ckpt);
        }
        double prior = Files.isRegularFile(ckpt) && resume
                ? Double.parseDouble(Trainer.checkpointMetadata(ckpt).getOrDefault("wallSeconds", "0")) : 0;
        int batch = run.settings().batch();
        EpochOrder order = new EpochOrder(pairs.n(), batch, run.seed());
        int d = pairs.dim();
        long start = System.nanoTime();
        long lastCkpt = start;
        long first = nt.trainer().step() / 2;
        long done = first;
        NitroTraining.StepLog last = null;
        boolean cancelled = false;
        try (var tr = nt.trainer()) {
            while (done < run.steps()) {
                if (cancel.isCancelled()) {
                    cancelled = true;
                    break;
                }
                long step = done + 1;
                int[] idx = order.indices(step);
                float[] z = new float[batch * d];
                float[] x1 = new float[batch * d];
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(pairs.z(), idx[i] * d, z, i * d, d);
                    System.arraycopy(pairs.x1(), idx[i] * d, x1, i * d, d);
                    labels[i] = pairs.labels()[idx[i]];
                }
                last = nt.step(z, x1, labels, new SplittableRandom(Trainer.mix(run.seed(), step, 3)));
                done = last.step();
                long now = System.nanoTime();
                if (listener != null) {
                    listener.accept(new Progress(done, run.steps(), last, (now - start) / 1e9 / (done - first)));
                }
                if ((now - lastCkpt) / 1e9 >= checkpointSeconds) {
                    save(nt, ckpt, meta, prior + (now - start) / 1e9);
                    lastCkpt = now;
                }
            }
            double wall = prior + (System.nanoTime() - start) / 1e9;
            save(nt, ckpt, meta, wall);
            boolean finished = done >= run.steps();
            if (finished) {
                Map<String, Object> prov = new LinkedHashMap<>();
                prov.put("command", command);
                prov.put("settings", settings);
                prov.put("steps", done);
                prov.put("wallSeconds", wall);
                prov.put("headsRefreshed", nt.headsRefreshed());
                prov.put("pairs", TeacherPairs.settingsOf(pairs));
                prov.put("teacherHash", teacher.hash());
                SlimFlow.writePackage(out, teacher, net, nt.studentEma(), prov, "nitro",
                        "A NitroFusion-style student (trained against a dynamic pool of discriminator heads)",
                        "dynamic adversarial training", "nitro with 1–4 steps, shift " + run.settings().shift()
                                + " (RF levels)", "`--sampler nitro --param steps=1..4 --param shift="
                                + run.settings().shift() + "`");
            }
            return new Trainer.Result(done, nt.trainer().skipped(), last == null ? Double.NaN
                    : last.generatorLoss(), (System.nanoTime() - start) / 1e9, cancelled, finished);
        }
    }

    private static void save(NitroTraining nt, Path ckpt, Map<String, String> meta, double wall) throws IOException {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("wallSeconds", Double.toString(wall));
        nt.trainer().save(ckpt, m);
    }
}
