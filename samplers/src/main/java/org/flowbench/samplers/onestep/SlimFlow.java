package org.flowbench.samplers.onestep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Safetensors;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.NetworkFlowModel;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.Adam;
import org.flowbench.engine.train.FlowGuidedDistillation;
import org.flowbench.engine.train.ImageDistance;
import org.flowbench.engine.train.StepTrainer;
import org.flowbench.engine.train.Trainer;
import org.flowbench.engine.train.VelocityRegression;

/**
 * SlimFlow's two training stages for a small {@code flow-unet-v1} student of a UNet teacher: {@link #reflow}
 * (annealing reflow from scratch on teacher pairs) and {@link #distill} (flow-guided distillation into a one-step
 * generator, initialised from and guided by the reflow student). Each stage trains into a folder with a resumable
 * checkpoint and, when finished, writes a velocity package there (EMA weights) that samples like the teacher.
 */
public final class SlimFlow {
    public static final String CHECKPOINT = "checkpoint.safetensors";

    private SlimFlow() {}

    /**
     * Annealing-reflow settings; the student is flow-unet-v1 with these channels and embedding width. {@code init}
     * (may be null: from scratch) is another reflow stage's folder whose EMA weights start the student, e.g. a 1-RF
     * student trained with β ≡ 1 (SlimFlow's "initialised" arm).
     */
    public record ReflowSettings(AnnealingReflow.Beta beta, AnnealingReflow.Flip flip, double epsilon, int[] channels,
                                 int emb, long steps, int batch, double lr, int warmup, double ema, long seed, Path init) {
        public ReflowSettings(AnnealingReflow.Beta beta, AnnealingReflow.Flip flip, double epsilon, int[] channels,
                              int emb, long steps, int batch, double lr, int warmup, double ema, long seed) {
            this(beta, flip, epsilon, channels, emb, steps, batch, lr, warmup, ema, seed, null);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", "annealing-reflow");
            m.put("beta", beta.toString());
            m.put("hflip", flip.description());
            m.put("epsilon", epsilon);
            m.put("channels", List.of(channels[0], channels[1], channels[2]));
            m.put("emb", emb);
            m.put("batch", batch);
            if (init != null) {
                m.put("init", init.toString());
            }
            m.put("loss", "l2 velocity regression, target x1 - z~, z~ = sqrt(1-b^2) z + b eps");
            return m;
        }
    }

    /**
     * Distillation settings: distance "l2" or "perceptual" (classifier feature maps + {@code l2Weight}·L2), Term B
     * weight (0 = plain distillation), ε of the student's time input, t' ~ U(tMin, tMax).
     */
    public record DistillSettings(String distance, double l2Weight, double guidanceWeight, double epsilon, double tMin,
                                  double tMax, long steps, int batch, double lr, int warmup, double ema, long seed) {
        public DistillSettings {
            if (!distance.equals("l2") && !distance.equals("perceptual")) {
                throw new FlowbenchException("--distance must be l2 or perceptual, not " + distance);
            }
            if (!(tMin >= 0 && tMin <= tMax && tMax <= 1)) {
                throw new FlowbenchException("t' range must satisfy 0 ≤ min ≤ max ≤ 1");
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", "flow-guided-distillation");
            m.put("distance", distance);
            m.put("l2Weight", l2Weight);
            m.put("guidanceWeight", guidanceWeight);
            m.put("epsilon", epsilon);
            m.put("tGuide", List.of(tMin, tMax));
            m.put("batch", batch);
            return m;
        }
    }

    /** The student network of a teacher package: the teacher's flow-unet-v1 config with other widths. */
    public static FlowUNet student(ModelPackage teacher, int[] channels, int emb) {
        requireUNet(teacher);
        Map<String, Object> cfg = new LinkedHashMap<>(teacher.map("config"));
        cfg.put("channels", List.of(channels[0], channels[1], channels[2]));
        cfg.put("emb", emb);
        for (int c : channels) {
            if (c < 8 || c % 8 != 0) {
                throw new FlowbenchException("student channels must be multiples of 8 (GroupNorm with 8 groups), not "
                        + c);
            }
        }
        return FlowUNet.fromConfig(cfg);
    }

    static void requireUNet(ModelPackage p) {
        if (!FlowUNet.ARCHITECTURE.equals(p.string("architecture"))) {
            throw new FlowbenchException("SlimFlow trains " + FlowUNet.ARCHITECTURE + " students of "
                    + FlowUNet.ARCHITECTURE + " teachers; " + p.dir() + " is " + p.string("architecture"));
        }
    }

    /** Stage 2: annealing reflow. Returns the trainer's result; when finished, {@code out} holds the package. */
    public static Trainer.Result reflow(TeacherPairs.Pairs pairs, ModelPackage teacher, ReflowSettings s, Path out,
                                        String command, double checkpointSeconds, boolean resume,
                                        Trainer.Listener listener, CancellationToken cancel) throws IOException {
        FlowUNet net = student(teacher, s.channels(), s.emb());
        Trainer.Config cfg = Trainer.Config.defaults(s.steps(), s.seed()).withLr(s.lr()).withWarmup(s.warmup())
                .withEma(s.ema()).withCheckpointSeconds(checkpointSeconds);
        ParamStore init = net.init(s.seed());
        if (s.init() != null) {
            initialiseFrom(s.init(), net, init);
        }
        Trainer<VelocityRegression.Batch> tr = new Trainer<>(cfg, init);
        Map<String, String> meta = checkpointMeta(net, s.toMap(), pairs, command);
        Path ckpt = out.resolve(CHECKPOINT);
        Files.createDirectories(out);
        tr.checkpointTo(ckpt, meta);
        if (resumes(out, ckpt, resume, meta)) {
            tr.resume(ckpt);
        }
        NetworkFlowModel studentModel = NetworkFlowModel.of("student", net, init, pairs.shape(), teacher.classNames());
        try {
            Trainer.Result r = tr.run(AnnealingReflow.source(pairs, s.beta(), s.flip(), s.batch(), s.epsilon(),
                    s.seed()), VelocityRegression.loss(studentModel), listener, cancel);
            if (r.finished()) {
                Map<String, Object> prov = provenance(command, s.toMap(), cfg.toMap(), tr.step(), tr.skipped(),
                        tr.wallSeconds(), tr.lastLoss(), pairs, teacher, net, init.count());
                writePackage(out, teacher, net, tr.ema(), prov, "annealing reflow");
            }
            return r;
        } finally {
            studentModel.close();
        }
    }

    /** Loads the EMA weights of the reflow stage in {@code dir} into w; the student configurations must agree. */
    static void initialiseFrom(Path dir, FlowUNet net, ParamStore w) throws IOException {
        Path ckpt = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(ckpt)) {
            throw new FlowbenchException("no reflow checkpoint to start from at " + ckpt,
                    "train it first with flowbench train slimflow reflow --out " + dir);
        }
        Map<String, String> meta = Trainer.checkpointMetadata(ckpt);
        if (!"1".equals(meta.get("flowbench.checkpoint")) || meta.get("studentConfig") == null) {
            throw new FlowbenchException(ckpt + " is not a reflow checkpoint (distillation checkpoints cannot start a reflow)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = Json.MAPPER.readValue(meta.get("studentConfig"), Map.class);
        if (!FlowUNet.fromConfig(cfg).config().equals(net.config())) {
            throw new FlowbenchException("the student of " + ckpt + " has config " + cfg + ", this one " + net.config(),
                    "pass the same --channels and --emb");
        }
        w.load(Safetensors.read(ckpt).tensors(), "ema/", "checkpoint " + ckpt);
    }

    /** Writes the package of a stage's current checkpoint (EMA weights) into {@code to}, to look at a run midway. */
    public static void exportCheckpoint(Path stageDir, ModelPackage teacher, Path to) throws IOException {
        Path ckpt = stageDir.resolve(CHECKPOINT);
        Map<String, String> meta = Trainer.checkpointMetadata(ckpt);
        boolean steps = meta.containsKey("flowbench.checkpoint") && "step-trainer/1".equals(meta.get("flowbench.checkpoint"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = Json.MAPPER.readValue(meta.get("studentConfig"), Map.class);
        FlowUNet net = FlowUNet.fromConfig(cfg);
        ParamStore w = net.init(0);
        w.load(Safetensors.read(ckpt).tensors(), steps ? FlowGuidedDistillation.STUDENT + "/ema/" : "ema/",
                "checkpoint " + ckpt);
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = Json.MAPPER.readValue(meta.get("settings"), Map.class);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("command", meta.get("command"));
        prov.put("settings", settings);
        prov.put("steps", Long.parseLong(meta.get("step")));
        prov.put("exportedFrom", "checkpoint at step " + meta.get("step") + " (training unfinished)");
        writePackage(to, teacher, net, w, prov, settings.get("stage") + " (checkpoint)");
    }

    /**
     * Stage 3: flow-guided distillation of the reflow student in {@code reflowDir} (its checkpoint: raw weights
     * initialise the student, EMA weights are the frozen guide). {@code classifier} is the perceptual distance's
     * network (null for "l2").
     */
    public static Trainer.Result distill(TeacherPairs.Pairs pairs, ModelPackage teacher, Path reflowDir,
                                         ModelPackage classifier, DistillSettings s, Path out, String command,
                                         double checkpointSeconds, boolean resume, Trainer.Listener listener,
                                         CancellationToken cancel) throws IOException {
        Path from = reflowDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(from)) {
            throw new FlowbenchException("no reflow checkpoint in " + reflowDir,
                    "run flowbench train slimflow reflow --out " + reflowDir + " first");
        }
        Map<String, String> fromMeta = Trainer.checkpointMetadata(from);
        @SuppressWarnings("unchecked")
        Map<String, Object> netCfg = Json.MAPPER.readValue(fromMeta.get("studentConfig"), Map.class);
        FlowUNet net = FlowUNet.fromConfig(netCfg);
        Safetensors.Contents ck = Safetensors.read(from);
        ParamStore raw = net.init(0);
        raw.load(ck.tensors(), "param/", "checkpoint " + from);
        ParamStore guide = net.init(0);
        guide.load(ck.tensors(), "ema/", "checkpoint " + from);

        ImageDistance distance;
        StepTrainer tr = new StepTrainer(s.seed());
        Adam adam = new Adam(s.lr(), s.warmup(), 0.9, 0.999, 1e-8, 1.0, s.ema());
        tr.add(FlowGuidedDistillation.STUDENT, raw, adam);
        tr.addFrozen(FlowGuidedDistillation.GUIDE, guide);
        if (s.distance().equals("perceptual")) {
            if (classifier == null) {
                throw new FlowbenchException("the perceptual distance needs a classifier package");
            }
            ClassifierCnn cnn = classifier.architecture(ClassifierCnn::fromConfig);
            ParamStore cw = cnn.init(0);
            classifier.loadWeights(cw);
            tr.addFrozen("perceptual", cw);
            distance = ImageDistance.classifierPerceptual(cnn, "perceptual", s.l2Weight());
        } else {
            distance = ImageDistance.l2();
        }
        Map<String, Object> settings = s.toMap();
        settings.put("distanceDefinition", distance.name());
        settings.put("initialisedFrom", reflowDir.toString() + " (raw weights; guide = its EMA weights)");
        settings.put("reflowStep", Long.parseLong(fromMeta.get("step")));
        Map<String, String> meta = checkpointMeta(net, settings, pairs, command);
        Path ckpt = out.resolve(CHECKPOINT);
        Files.createDirectories(out);
        if (resumes(out, ckpt, resume, meta)) {
            tr.resume(ckpt);
        }
        double prior = Files.isRegularFile(ckpt) && resume
                ? Double.parseDouble(Trainer.checkpointMetadata(ckpt).getOrDefault("wallSeconds", "0")) : 0;
        NetworkFlowModel studentModel = NetworkFlowModel.of("student", net, raw, pairs.shape(), teacher.classNames());
        EpochOrder order = new EpochOrder(pairs.n(), s.batch(), s.seed());
        int d = pairs.dim();
        int classes = teacher.classNames().size();
        long start = System.nanoTime();
        long lastCkpt = start;
        long first = tr.step();
        boolean cancelled = false;
        double lastLoss = Double.NaN;
        FlowGuidedDistillation.Terms[] terms = new FlowGuidedDistillation.Terms[1];
        try (tr) {
            while (tr.step() < s.steps()) {
                if (cancel.isCancelled()) {
                    cancelled = true;
                    break;
                }
                long step = tr.step() + 1;
                FlowGuidedDistillation.Batch b = distillBatch(pairs, order, step, s, classes, d);
                StepTrainer.StepResult r = tr.step(Set.of(FlowGuidedDistillation.STUDENT), (m, p, rng) ->
                        FlowGuidedDistillation.loss(m, p, studentModel, studentModel, distance, s.epsilon(), s.guidanceWeight(), b,
                                terms));
                lastLoss = r.loss();
                long now = System.nanoTime();
                double perStep = (now - start) / 1e9 / (tr.step() - first);
                if (listener != null) {
                    Double g = r.gradNorms().get(FlowGuidedDistillation.STUDENT);
                    listener.step(new Trainer.Progress(tr.step(), s.steps(), r.loss(), g == null ? Double.NaN : g,
                            adam.lrAt(tr.group(FlowGuidedDistillation.STUDENT).updates()), tr.skipped(), perStep,
                            perStep * (s.steps() - tr.step()), r.skipped()));
                }
                if ((now - lastCkpt) / 1e9 >= checkpointSeconds) {
                    saveDistill(tr, ckpt, meta, prior + (now - start) / 1e9);
                    lastCkpt = now;
                }
            }
            double wall = prior + (System.nanoTime() - start) / 1e9;
            saveDistill(tr, ckpt, meta, wall);
            boolean finished = tr.step() >= s.steps();
            if (finished) {
                Map<String, Object> optim = adam.toMap();
                Map<String, Object> prov = provenance(command, settings, optim, tr.step(), tr.skipped(), wall,
                        lastLoss, pairs, teacher, net, raw.count());
                writePackage(out, teacher, net, tr.group(FlowGuidedDistillation.STUDENT).ema(), prov,
                        "flow-guided distillation");
            }
            return new Trainer.Result(tr.step(), tr.skipped(), lastLoss, (System.nanoTime() - start) / 1e9, cancelled,
                    finished);
        } finally {
            studentModel.close();
        }
    }

    /** Term A: pairs in epoch order; Term B: fresh noises with labels like the pairs' and t' ~ U(tMin, tMax). */
    static FlowGuidedDistillation.Batch distillBatch(TeacherPairs.Pairs pairs, EpochOrder order, long step,
                                                     DistillSettings s, int classes, int d) {
        SplittableRandom rng = new SplittableRandom(Trainer.mix(s.seed(), step, 1));
        int n = s.batch();
        int[] idx = order.indices(step);
        float[] z = new float[n * d];
        float[] x1 = new float[n * d];
        int[] labels = new int[n];
        float[] zg = new float[n * d];
        int[] lg = new int[n];
        double[] tg = new double[n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(pairs.z(), idx[j] * d, z, j * d, d);
            System.arraycopy(pairs.x1(), idx[j] * d, x1, j * d, d);
            labels[j] = pairs.labels()[idx[j]];
            lg[j] = TeacherPairs.label(rng.nextInt(classes + 1), classes);
            tg[j] = s.tMin() + rng.nextDouble() * (s.tMax() - s.tMin());
        }
        for (int i = 0; i < zg.length; i++) {
            zg[i] = (float) rng.nextGaussian();
        }
        return new FlowGuidedDistillation.Batch(n, z, x1, labels, zg, lg, tg);
    }

    private static void saveDistill(StepTrainer tr, Path ckpt, Map<String, String> meta, double wall)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put("wallSeconds", Double.toString(wall));
        tr.save(ckpt, m);
    }

    static Map<String, String> checkpointMeta(FlowUNet net, Map<String, Object> settings,
                                                      TeacherPairs.Pairs pairs, String command) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", FlowUNet.ARCHITECTURE);
        meta.put("studentConfig", Json.COMPACT.writeValueAsString(net.config()));
        meta.put("settings", Json.COMPACT.writeValueAsString(settings));
        meta.put("pairs", Json.COMPACT.writeValueAsString(TeacherPairs.settingsOf(pairs)));
        meta.put("command", command);
        return meta;
    }

    /**
     * Whether a stage continues from its checkpoint: only with --resume, and only when the checkpoint was made with
     * the same settings; a checkpoint present without --resume is refused (it is never silently overwritten).
     */
    static boolean resumes(Path out, Path ckpt, boolean resume, Map<String, String> meta) {
        if (!Files.isRegularFile(ckpt)) {
            return false;
        }
        if (!resume) {
            throw new FlowbenchException(out + " already holds a checkpoint", "add --resume to continue it, or "
                    + "choose another --out");
        }
        requireSameSettings(ckpt, meta);
        return true;
    }

    private static void requireSameSettings(Path ckpt, Map<String, String> now) {
        Map<String, String> was = Trainer.checkpointMetadata(ckpt);
        for (String k : List.of("studentConfig", "settings", "pairs")) {
            if (!now.get(k).equals(was.get(k))) {
                throw new FlowbenchException("checkpoint " + ckpt + " was trained with " + k + " " + was.get(k)
                        + ", not " + now.get(k), "resume with the same options, or choose another --out");
            }
        }
    }

    private static Map<String, Object> provenance(String command, Map<String, Object> settings,
                                                  Map<String, Object> optimizer, long steps, long skipped, double wall,
                                                  double lastLoss, TeacherPairs.Pairs pairs, ModelPackage teacher,
                                                  FlowUNet net, long parameters) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", command);
        p.put("settings", settings);
        p.put("optimizer", optimizer);
        p.put("steps", steps);
        p.put("skippedSteps", skipped);
        p.put("wallSeconds", Math.round(wall));
        p.put("finalLoss", lastLoss);
        p.put("pairs", TeacherPairs.settingsOf(pairs));
        p.put("pairsFlipCheck", pairs.manifest().get("flipCheck"));
        p.put("teacherHash", teacher.hash());
        p.put("parameters", parameters);
        return p;
    }

    /** A velocity package like the teacher's (conditioning, reference statistics), with the student's net. */
    static void writePackage(Path dir, ModelPackage teacher, FlowUNet net, ParamStore weights,
                             Map<String, Object> provenance, String stage) throws IOException {
        writePackage(dir, teacher, net, weights, provenance, "slimflow", "A SlimFlow student (" + stage + ")", stage,
                "euler with 1 step (one network evaluation): x1 = z + v(z, 0)", "`--sampler euler --steps 1`");
    }

    /**
     * A student package of {@code method} ("slimflow", "nitro"): the teacher's manifest with the student's config,
     * EMA weights, a section naming teacher, stage and how to sample it, and a short card.
     */
    static void writePackage(Path dir, ModelPackage teacher, FlowUNet net, ParamStore weights,
                             Map<String, Object> provenance, String method, String what, String stage,
                             String sampleWith, String sampleFlags) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(teacher.manifest());
        m.remove("format");
        m.remove("weights");
        m.remove("boss");
        m.put("name", dir.toAbsolutePath().getFileName().toString());
        m.put("config", net.config());
        m.put("weightsAre", "EMA");
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("teacher", teacher.string("name"));
        section.put("teacherHash", teacher.hash());
        section.put("stage", stage);
        section.put("sampleWith", sampleWith);
        m.put(method, section);
        m.put("provenance", provenance);
        String card = "# " + m.get("name") + "\n\n" + what + " of " + teacher.string("name") + ", architecture "
                + FlowUNet.ARCHITECTURE + " with config " + Json.COMPACT.writeValueAsString(net.config()) + " ("
                + weights.count() + " parameters). Sample it with " + sampleFlags + ".\n";
        ModelPackage.write(dir, m, weights, Map.of("architecture", FlowUNet.ARCHITECTURE), card);
    }
}
