package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.data.FashionMnist;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.run.CancellationToken;

/**
 * Rectified-flow training of {@link FlowUNet} on Fashion-MNIST: x1 from the data, x0 ~ N(0, I), t ~ U(0, 1),
 * x_t = t·x1 + (1−t)·x0, loss = mean ‖v(x_t, t, y) − (x1 − x0)‖², with the label replaced by the null class for
 * 10 % of the examples (by default) so that classifier-free guidance and unconditional sampling work.
 */
public final class FlowRecipe {
    public static final double LABEL_DROPOUT = 0.1;

    /**
     * What a run may change beyond the recipe: the share of labels dropped to the null class, and a package whose
     * weights start the network (fine-tuning; null = from scratch). Recorded in the checkpoint and the manifest.
     */
    public record Tuning(double labelDropout, String initPackage) {
        public static final Tuning DEFAULT = new Tuning(LABEL_DROPOUT, null);

        public Tuning {
            if (!(labelDropout >= 0 && labelDropout <= 1)) {
                throw new org.flowbench.engine.FlowbenchException("--label-dropout must lie in [0, 1], not " + labelDropout);
            }
        }
    }

    /** One batch: images, times, noise and (possibly dropped) labels. */
    public record Batch(float[] x1, float[] x0, float[] t, int[] labels) {}

    private FlowRecipe() {}

    public static Trainer.Config config(Recipe r) {
        return Trainer.Config.defaults(r.steps(), r.seed()).withLr(r.lr()).withWarmup(r.warmup()).withEma(r.ema())
                .withCheckpointSeconds(r.checkpointSeconds());
    }

    public static Trainer.BatchSource<Batch> source(ImageDataset ds, int batch, long seed) {
        return source(ds, batch, seed, LABEL_DROPOUT);
    }

    public static Trainer.BatchSource<Batch> source(ImageDataset ds, int batch, long seed, double labelDropout) {
        EpochOrder order = new EpochOrder(ds.size(), batch, seed);
        int d = ds.dim();
        return (step, rng) -> {
            int[] idx = order.indices(step);
            float[] x1 = new float[batch * d];
            float[] x0 = new float[batch * d];
            float[] t = new float[batch];
            int[] labels = new int[batch];
            for (int j = 0; j < batch; j++) {
                System.arraycopy(ds.pixels(), idx[j] * d, x1, j * d, d);
                t[j] = (float) rng.nextDouble();
                labels[j] = rng.nextDouble() < labelDropout ? -1 : ds.labels()[idx[j]];
            }
            for (int i = 0; i < x0.length; i++) {
                x0[i] = (float) rng.nextGaussian();
            }
            return new Batch(x1, x0, t, labels);
        };
    }

    public static Trainer.Loss<Batch> loss(FlowUNet net, int[] shape) {
        return (NDManager m, org.flowbench.engine.nn.NDParams p, Batch b, SplittableRandom rng) -> {
            int n = b.t().length;
            Shape s = new Shape(n, shape[0], shape[1], shape[2]);
            NDArray x1 = m.create(b.x1(), s);
            NDArray x0 = m.create(b.x0(), s);
            NDArray t = m.create(b.t(), new Shape(n, 1, 1, 1));
            NDArray xt = x1.mul(t).add(x0.mul(t.neg().add(1f)));
            NDArray v = net.forward(p, xt, b.t(), b.labels());
            return v.sub(x1.sub(x0)).square().mean();
        };
    }

    /** Trains (or resumes) and, when all steps are done, writes the package from the EMA weights. */
    public static Trainer.Result run(Recipe r, Trainer.Listener listener, CancellationToken cancel)
            throws IOException {
        return run(r, Tuning.DEFAULT, listener, cancel);
    }

    /** As {@link #run(Recipe, Trainer.Listener, CancellationToken)}, with a label dropout and an initial package. */
    public static Trainer.Result run(Recipe r, Tuning tuning, Trainer.Listener listener, CancellationToken cancel)
            throws IOException {
        ImageDataset ds = org.flowbench.engine.data.Datasets.load(r.data(), "train");
        int[] sh = ds.shape();
        if (sh[0] != 1 || sh[1] % 4 != 0 || sh[2] % 4 != 0) {
            throw new org.flowbench.engine.FlowbenchException("the flow UNet needs grey images with sides divisible by 4; "
                    + ds.name() + " has shape " + java.util.Arrays.toString(sh));
        }
        FlowUNet net = ds.classNames().equals(FashionMnist.CLASS_NAMES) ? FlowUNet.fashion()
                : new FlowUNet(16, 48, 64, 128, ds.classNames().size(), 1000.0);
        org.flowbench.engine.nn.ParamStore init = net.init(r.seed());
        if (tuning.initPackage() != null) {
            initialiseFrom(tuning.initPackage(), net, init);
        }
        Trainer<Batch> tr = new Trainer<>(config(r), init);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", FlowUNet.ARCHITECTURE);
        meta.put("config", Json.MAPPER.writeValueAsString(net.config()));
        meta.put("batch", Integer.toString(r.batch()));
        meta.put("command", r.command());
        meta.put("labelDropout", Double.toString(tuning.labelDropout()));
        if (tuning.initPackage() != null) {
            meta.put("init", tuning.initPackage());
        }
        tr.checkpointTo(r.checkpoint(), meta);
        if (r.resume() && Files.isRegularFile(r.checkpoint())) {
            tr.resume(r.checkpoint());
        }
        Trainer.Result res = tr.run(source(ds, r.batch(), r.seed(), tuning.labelDropout()), loss(net, ds.shape()),
                listener, cancel);
        if (res.finished()) {
            writePackage(r, tuning, net, tr, ds);
        }
        return res;
    }

    /** Starts net's weights from a flow-unet-v1 package (a model reference) with the same configuration. */
    static void initialiseFrom(String ref, FlowUNet net, org.flowbench.engine.nn.ParamStore w) throws IOException {
        java.nio.file.Path dir = org.flowbench.engine.model.pkg.PackageResolver.packageDir(ref);
        if (dir == null) {
            throw new org.flowbench.engine.FlowbenchException("--init " + ref + " is not a model package",
                    "name a built-in (builtin:fashion-flow) or a package folder");
        }
        ModelPackage p = ModelPackage.open(dir);
        if (!FlowUNet.ARCHITECTURE.equals(p.string("architecture"))
                || !FlowUNet.fromConfig(p.map("config")).config().equals(net.config())) {
            throw new org.flowbench.engine.FlowbenchException("--init needs a " + FlowUNet.ARCHITECTURE
                    + " package with the config " + net.config() + "; " + dir + " has " + p.string("architecture") + " "
                    + p.map("config"));
        }
        p.loadWeights(w);
    }

    /**
     * Writes a package from the EMA weights of the current checkpoint without training (to look at a run in
     * progress); the manifest records the checkpoint's step.
     */
    public static void packageCheckpoint(Recipe r, java.nio.file.Path to) throws IOException {
        FlowUNet net = FlowUNet.fashion();
        Trainer<Batch> tr = new Trainer<>(config(r), net.init(r.seed()));
        tr.resume(r.checkpoint());
        Map<String, String> meta = Trainer.checkpointMetadata(r.checkpoint());
        String init = meta.get("init");
        Tuning tuning = new Tuning(Double.parseDouble(meta.getOrDefault("labelDropout", Double.toString(LABEL_DROPOUT))),
                init);
        ImageDataset shape = new ImageDataset("fashion-mnist/train", new int[] {1, 28, 28}, new float[0], new int[0],
                FashionMnist.CLASS_NAMES);
        writePackage(new Recipe(r.data(), to, tr.step(), r.batch(), r.seed(), r.lr(), r.warmup(), r.ema(), true,
                r.checkpointSeconds(), r.command(), r.gitCommit()), tuning, net, tr, shape);
    }

    static void writePackage(Recipe r, Tuning tuning, FlowUNet net, Trainer<?> tr, ImageDataset ds) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.out().getFileName().toString());
        m.put("kind", "flow");
        m.put("architecture", FlowUNet.ARCHITECTURE);
        m.put("config", net.config());
        m.put("parameterization", "velocity");
        m.put("path", "rectified-flow");
        m.put("timeConvention", "t=0 noise, t=1 data; x_t = t*x1 + (1-t)*x0; velocity target x1 - x0");
        m.put("networkTimeScale", net.timeScale());
        m.put("imageShape", ds.shape());
        m.put("pixelRange", List.of(-1, 1));
        Map<String, Object> cond = new LinkedHashMap<>();
        cond.put("type", "class");
        cond.put("classNames", ds.classNames());
        cond.put("nullClass", net.nullClass());
        cond.put("labelDropout", tuning.labelDropout());
        cond.put("prompts", "sample-prompts/fashion-mnist.json");
        m.put("conditioning", cond);
        m.put("weightsAre", "EMA");
        // domain FID: statistics of the test split in the built-in classifier's feature space (resolved by
        // PackageResolver.defaultReferenceStats; samples are quantised like the statistics declare)
        m.put("referenceStats", "builtin:fashion-classifier/" + ReferenceStatistics.FILE);
        Map<String, Object> prov = provenance(r, tr, ds.name());
        if (tuning.initPackage() != null) {
            prov.put("initialisedFrom", tuning.initPackage());
        }
        m.put("provenance", prov);
        ModelPackage.write(r.out(), m, tr.ema(), Map.of("architecture", FlowUNet.ARCHITECTURE),
                ModelCards.flow(r, tuning, tr));
    }

    static Map<String, Object> provenance(Recipe r, Trainer<?> tr, String data) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", r.command());
        p.put("seed", r.seed());
        p.put("steps", tr.step());
        p.put("batch", r.batch());
        p.put("lr", r.lr());
        p.put("warmupSteps", r.warmup());
        p.put("emaDecay", r.ema());
        p.put("skippedSteps", tr.skipped());
        p.put("wallSeconds", Math.round(tr.wallSeconds()));
        p.put("gitCommit", r.gitCommit());
        p.put("data", data);
        p.put("finalLoss", tr.lastLoss());
        p.put("optimizer", tr.config().toMap());
        return p;
    }
}
