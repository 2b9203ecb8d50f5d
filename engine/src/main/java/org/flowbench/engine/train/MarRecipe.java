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
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.TinyMar;
import org.flowbench.engine.run.CancellationToken;

/**
 * Training of the tiny MAR ({@link TinyMar}) on Fashion-MNIST, as MAR trains (docs/methods-disa.md): a random
 * generation order per image, a mask ratio r ~ TruncNormal(1, 0.25) on [0.7, 1] per batch with ⌈L·r⌉ tokens masked,
 * the class replaced by the null class for 10 % of the images, and the head's loss on masked tokens only, each
 * repeated {@code diffusionMul} times with its own (t, noise): x_t = t·x1 + (1 − t)·x0, target x1 − x0.
 */
public final class MarRecipe {
    public static final double LABEL_DROPOUT = 0.1;
    public static final int DIFFUSION_MUL = 4;

    private MarRecipe() {}

    /** One batch: tokens, the known mask, labels, and per head row (L·mul per image) its time and noise. */
    public record Batch(float[] tokens, float[] known, int[] labels, float[] t, float[] noise) {}

    /** A mask ratio from the truncated normal (mean 1, sd 0.25) on [0.7, 1], by rejection. */
    static double maskRatio(SplittableRandom rng) {
        while (true) {
            double r = 1 + 0.25 * rng.nextGaussian();
            if (r >= 0.7 && r <= 1) {
                return r;
            }
        }
    }

    public static Trainer.BatchSource<Batch> source(TinyMar net, ImageDataset ds, int batch, int mul, long seed) {
        EpochOrder order = new EpochOrder(ds.size(), batch, seed);
        int d = ds.dim();
        int l = net.tokens();
        int td = net.tokenDim();
        return (step, rng) -> {
            int[] idx = order.indices(step);
            float[] images = new float[batch * d];
            int[] labels = new int[batch];
            for (int j = 0; j < batch; j++) {
                System.arraycopy(ds.pixels(), idx[j] * d, images, j * d, d);
                labels[j] = rng.nextDouble() < LABEL_DROPOUT ? -1 : ds.labels()[idx[j]];
            }
            int masked = (int) Math.ceil(l * maskRatio(rng));
            float[] known = new float[batch * l];
            for (int j = 0; j < batch; j++) {
                int[] perm = new int[l];
                for (int i = 0; i < l; i++) {
                    perm[i] = i;
                }
                for (int i = l - 1; i > 0; i--) {
                    int k = rng.nextInt(i + 1);
                    int tmp = perm[i];
                    perm[i] = perm[k];
                    perm[k] = tmp;
                }
                for (int i = masked; i < l; i++) {
                    known[j * l + perm[i]] = 1f;
                }
            }
            int rows = batch * l * mul;
            float[] t = new float[rows];
            float[] noise = new float[rows * td];
            for (int i = 0; i < rows; i++) {
                t[i] = (float) rng.nextDouble();
            }
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) rng.nextGaussian();
            }
            return new Batch(net.tokenize(images, batch), known, labels, t, noise);
        };
    }

    public static Trainer.Loss<Batch> loss(TinyMar net, int mul) {
        return (NDManager m, org.flowbench.engine.nn.NDParams p, Batch b, SplittableRandom rng) -> {
            int n = b.labels().length;
            int l = net.tokens();
            int td = net.tokenDim();
            NDArray x1 = m.create(b.tokens(), new Shape(n, l, td));
            NDArray known = m.create(b.known(), new Shape(n, l));
            NDArray z = net.context(p, x1, known, b.labels()).reshape((long) n * l, net.contextDim()).repeat(0, mul);
            NDArray target = x1.reshape((long) n * l, td).repeat(0, mul);
            NDArray weight = known.neg().add(1f).reshape((long) n * l).repeat(0, mul);
            int rows = n * l * mul;
            NDArray x0 = m.create(b.noise(), new Shape(rows, td));
            NDArray t = m.create(b.t(), new Shape(rows, 1));
            NDArray xt = target.mul(t).add(x0.mul(t.neg().add(1f)));
            NDArray v = net.head(p, xt, b.t(), z);
            NDArray perRow = v.sub(target.sub(x0)).square().mean(new int[] {1});
            return perRow.mul(weight).sum().div(weight.sum());
        };
    }

    /** Trains (or resumes) and, when all steps are done, writes the package from the EMA weights. */
    public static Trainer.Result run(Recipe r, int mul, Trainer.Listener listener, CancellationToken cancel)
            throws IOException {
        ImageDataset ds = org.flowbench.engine.data.Datasets.load(r.data(), "train");
        int[] sh = ds.shape();
        if (sh[0] != 1 || sh[1] != 28 || sh[2] != 28) {
            throw new FlowbenchException("the tiny MAR is built for grey 28×28 images; " + ds.name() + " has shape "
                    + java.util.Arrays.toString(sh));
        }
        TinyMar net = new TinyMar(28, 4, 64, 4, 2, 96, 3, ds.classNames().size());
        Trainer<Batch> tr = new Trainer<>(FlowRecipe.config(r), net.init(r.seed()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", TinyMar.ARCHITECTURE);
        meta.put("config", Json.MAPPER.writeValueAsString(net.config()));
        meta.put("batch", Integer.toString(r.batch()));
        meta.put("diffusionMul", Integer.toString(mul));
        meta.put("command", r.command());
        tr.checkpointTo(r.checkpoint(), meta);
        if (r.resume() && Files.isRegularFile(r.checkpoint())) {
            tr.resume(r.checkpoint());
        }
        Trainer.Result res = tr.run(source(net, ds, r.batch(), mul, r.seed()), loss(net, mul), listener, cancel);
        if (res.finished()) {
            writePackage(r, net, mul, tr, ds);
        }
        return res;
    }

    /**
     * Writes a package from the EMA weights of the current checkpoint without training (to look at a run in
     * progress); the manifest records the checkpoint's step.
     */
    public static void packageCheckpoint(Recipe r, int mul, java.nio.file.Path to) throws IOException {
        Map<String, String> meta = Trainer.checkpointMetadata(r.checkpoint());
        TinyMar net = TinyMar.fromConfig(Json.MAPPER.readValue(meta.get("config"),
                new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {}));
        Trainer<Batch> tr = new Trainer<>(FlowRecipe.config(r), net.init(r.seed()));
        tr.resume(r.checkpoint());
        ImageDataset shape = new ImageDataset("fashion-mnist/train", new int[] {1, 28, 28}, new float[0], new int[0],
                org.flowbench.engine.data.FashionMnist.CLASS_NAMES);
        writePackage(new Recipe(r.data(), to, tr.step(), r.batch(), r.seed(), r.lr(), r.warmup(), r.ema(), true,
                r.checkpointSeconds(), r.command(), r.gitCommit()), net, mul, tr, shape);
    }

    static void writePackage(Recipe r, TinyMar net, int mul, Trainer<?> tr, ImageDataset ds) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.out().getFileName().toString());
        m.put("kind", "ar-tokens");
        m.put("architecture", TinyMar.ARCHITECTURE);
        m.put("config", net.config());
        m.put("head", Map.of("parameterization", "velocity", "path", "rectified-flow",
                "timeConvention", "t=0 noise, t=1 data; x_t = t*x1 + (1-t)*x0; velocity target x1 - x0"));
        m.put("tokens", Map.of("count", net.tokens(), "dim", net.tokenDim(), "order", "row-major patches"));
        m.put("imageShape", ds.shape());
        m.put("pixelRange", List.of(-1, 1));
        Map<String, Object> cond = new LinkedHashMap<>();
        cond.put("type", "class");
        cond.put("classNames", ds.classNames());
        cond.put("nullClass", net.classes());
        cond.put("labelDropout", LABEL_DROPOUT);
        m.put("conditioning", cond);
        m.put("weightsAre", "EMA");
        m.put("referenceStats", "builtin:fashion-classifier/" + ReferenceStatistics.FILE);
        Map<String, Object> prov = FlowRecipe.provenance(r, tr, ds.name());
        prov.put("diffusionMul", mul);
        m.put("provenance", prov);
        ModelPackage.write(r.out(), m, tr.ema(), Map.of("architecture", TinyMar.ARCHITECTURE),
                "# " + r.out().getFileName() + "\n\nTiny MAR trained by `" + r.command() + "` for " + tr.step()
                        + " steps; evaluation to follow (docs/methods-disa.md).\n");
    }
}
