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
 * 10 % of the examples so that classifier-free guidance works.
 */
public final class FlowRecipe {
    public static final double LABEL_DROPOUT = 0.1;

    /** One batch: images, times, noise and (possibly dropped) labels. */
    public record Batch(float[] x1, float[] x0, float[] t, int[] labels) {}

    private FlowRecipe() {}

    public static Trainer.Config config(Recipe r) {
        return Trainer.Config.defaults(r.steps(), r.seed()).withLr(r.lr()).withWarmup(r.warmup()).withEma(r.ema())
                .withCheckpointSeconds(r.checkpointSeconds());
    }

    public static Trainer.BatchSource<Batch> source(ImageDataset ds, int batch, long seed) {
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
                labels[j] = rng.nextDouble() < LABEL_DROPOUT ? -1 : ds.labels()[idx[j]];
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
        ImageDataset ds = org.flowbench.engine.data.Datasets.load(r.data(), "train");
        int[] sh = ds.shape();
        if (sh[0] != 1 || sh[1] % 4 != 0 || sh[2] % 4 != 0) {
            throw new org.flowbench.engine.FlowbenchException("the flow UNet needs grey images with sides divisible by 4; "
                    + ds.name() + " has shape " + java.util.Arrays.toString(sh));
        }
        FlowUNet net = ds.classNames().equals(FashionMnist.CLASS_NAMES) ? FlowUNet.fashion()
                : new FlowUNet(16, 48, 64, 128, ds.classNames().size(), 1000.0);
        Trainer<Batch> tr = new Trainer<>(config(r), net.init(r.seed()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", FlowUNet.ARCHITECTURE);
        meta.put("config", Json.MAPPER.writeValueAsString(net.config()));
        meta.put("batch", Integer.toString(r.batch()));
        meta.put("command", r.command());
        tr.checkpointTo(r.checkpoint(), meta);
        if (r.resume() && Files.isRegularFile(r.checkpoint())) {
            tr.resume(r.checkpoint());
        }
        Trainer.Result res = tr.run(source(ds, r.batch(), r.seed()), loss(net, ds.shape()), listener, cancel);
        if (res.finished()) {
            writePackage(r, net, tr, ds);
        }
        return res;
    }

    /**
     * Writes a package from the EMA weights of the current checkpoint without training (to look at a run in
     * progress); the manifest records the checkpoint's step.
     */
    public static void packageCheckpoint(Recipe r, java.nio.file.Path to) throws IOException {
        FlowUNet net = FlowUNet.fashion();
        Trainer<Batch> tr = new Trainer<>(config(r), net.init(r.seed()));
        tr.resume(r.checkpoint());
        ImageDataset shape = new ImageDataset("fashion-mnist/train", new int[] {1, 28, 28}, new float[0], new int[0],
                FashionMnist.CLASS_NAMES);
        writePackage(new Recipe(r.data(), to, tr.step(), r.batch(), r.seed(), r.lr(), r.warmup(), r.ema(), true,
                r.checkpointSeconds(), r.command(), r.gitCommit()), net, tr, shape);
    }

    static void writePackage(Recipe r, FlowUNet net, Trainer<?> tr, ImageDataset ds) throws IOException {
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
        cond.put("labelDropout", LABEL_DROPOUT);
        cond.put("prompts", "sample-prompts/fashion-mnist.json");
        m.put("conditioning", cond);
        m.put("weightsAre", "EMA");
        // domain FID: statistics of the test split in the built-in classifier's feature space (resolved by
        // PackageResolver.defaultReferenceStats; samples are quantised like the statistics declare)
        m.put("referenceStats", "builtin:fashion-classifier/" + ReferenceStatistics.FILE);
        m.put("provenance", provenance(r, tr, ds.name()));
        ModelPackage.write(r.out(), m, tr.ema(), Map.of("architecture", FlowUNet.ARCHITECTURE),
                ModelCards.flow(r, tr));
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
