package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.data.EpochOrder;
import org.flowbench.engine.data.FashionMnist;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.Scalars;
import org.flowbench.engine.run.CancellationToken;

/** Cross-entropy training of {@link ClassifierCnn} on Fashion-MNIST, with random horizontal flips. */
public final class ClassifierRecipe {
    public record Batch(float[] x, int[] labels) {}

    private ClassifierRecipe() {}

    public static Trainer.BatchSource<Batch> source(ImageDataset ds, int batch, long seed) {
        EpochOrder order = new EpochOrder(ds.size(), batch, seed);
        int d = ds.dim();
        int w = ds.shape()[2];
        return (step, rng) -> {
            int[] idx = order.indices(step);
            float[] x = new float[batch * d];
            int[] labels = new int[batch];
            for (int j = 0; j < batch; j++) {
                boolean flip = rng.nextBoolean();
                int src = idx[j] * d;
                for (int i = 0; i < d; i++) {
                    int col = i % w;
                    x[j * d + i] = ds.pixels()[src + (flip ? i - col + (w - 1 - col) : i)];
                }
                labels[j] = ds.labels()[idx[j]];
            }
            return new Batch(x, labels);
        };
    }

    public static Trainer.Loss<Batch> loss(ClassifierCnn net, int[] shape) {
        return (m, p, b, rng) -> {
            int n = b.labels().length;
            NDArray x = m.create(b.x(), new Shape(n, shape[0], shape[1], shape[2]));
            NDArray logp = net.logits(p, net.features(p, x)).logSoftmax(1);
            float[] onehot = new float[n * net.classes()];
            for (int i = 0; i < n; i++) {
                onehot[i * net.classes() + b.labels()[i]] = 1f;
            }
            return Scalars.div(logp.mul(m.create(onehot, new Shape(n, net.classes()))).sum(), -n);
        };
    }

    /** Test-set accuracy of weights {@code w}. */
    public static double accuracy(ClassifierCnn net, ParamStore w, ImageDataset ds) {
        int correct = 0;
        int d = ds.dim();
        int bs = 500;
        try (NDManager m = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current())) {
            NDParams p = w.materialize(m, false);
            for (int s = 0; s < ds.size(); s += bs) {
                int n = Math.min(bs, ds.size() - s);
                try (NDManager sub = m.newSubManager()) {
                    float[] x = new float[n * d];
                    System.arraycopy(ds.pixels(), s * d, x, 0, n * d);
                    NDArray lg = net.logits(p, net.features(p, sub.create(x, new Shape(n, ds.shape()[0],
                            ds.shape()[1], ds.shape()[2]))));
                    long[] pred = lg.argMax(1).toLongArray();
                    for (int i = 0; i < n; i++) {
                        if (pred[i] == ds.labels()[s + i]) {
                            correct++;
                        }
                    }
                }
            }
        }
        return correct / (double) ds.size();
    }

    /** The built-in classifier's recipe (package name fashion-classifier, the default shape). */
    public static Trainer.Result run(Recipe r, Trainer.Listener listener, CancellationToken cancel)
            throws IOException {
        return run(r, "fashion-classifier", null, listener, cancel);
    }

    /**
     * Trains a classifier named {@code name}; {@code shape} = {channels1, channels2, kernel, features}, or null for
     * the built-in classifier's shape.
     */
    public static Trainer.Result run(Recipe r, String name, int[] shape, Trainer.Listener listener,
                                     CancellationToken cancel) throws IOException {
        ImageDataset train = org.flowbench.engine.data.Datasets.load(r.data(), "train");
        if (!java.util.Arrays.equals(train.shape(), new int[] {1, 28, 28}) || train.classNames().isEmpty()) {
            throw new org.flowbench.engine.FlowbenchException("the classifier recipe needs labelled 1x28x28 images; "
                    + train.name() + " has shape " + java.util.Arrays.toString(train.shape()) + " and "
                    + train.classNames().size() + " classes");
        }
        ClassifierCnn net = network(train.classNames().size(), shape);
        Trainer<Batch> tr = trainer(r, net);
        Trainer.Result res = tr.run(source(train, r.batch(), r.seed()), loss(net, train.shape()), listener, cancel);
        if (res.finished()) {
            // IDX folders have a test split; for NPY files and image folders this is the training data itself.
            ImageDataset test = org.flowbench.engine.data.Datasets.load(r.data(), "test");
            double accEma = accuracy(net, tr.ema(), test);
            double accRaw = accuracy(net, tr.params(), test);
            Map<String, Object> m = manifest(r, tr, name, net, train, accEma, accRaw);
            ModelPackage.write(r.out(), m, tr.ema(), Map.of("architecture", ClassifierCnn.ARCHITECTURE),
                    ModelCards.classifier(r, tr, name, net, accEma, accRaw));
            if (r.data() == null || org.flowbench.engine.data.Datasets.hasIdx(r.data())) {
                ReferenceStatistics.write(r.out(), r.data());
            }
        }
        return res;
    }

    /** The network for {@code classes} classes; shape = {channels1, channels2, kernel, features} or null. */
    static ClassifierCnn network(int classes, int[] shape) {
        return shape == null ? new ClassifierCnn(classes)
                : new ClassifierCnn(classes, shape[0], shape[1], shape[2], shape[3]);
    }

    /** The trainer of a recipe, checkpointing to its folder and resuming when asked. */
    static Trainer<Batch> trainer(Recipe r, ClassifierCnn net) throws IOException {
        Trainer.Config cfg = Trainer.Config.defaults(r.steps(), r.seed()).withLr(r.lr()).withWarmup(r.warmup())
                .withEma(r.ema()).withCheckpointSeconds(r.checkpointSeconds());
        Trainer<Batch> tr = new Trainer<>(cfg, net.init(r.seed()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("architecture", ClassifierCnn.ARCHITECTURE);
        meta.put("config", Json.MAPPER.writeValueAsString(net.config()));
        meta.put("command", r.command());
        tr.checkpointTo(r.checkpoint(), meta);
        if (r.resume() && Files.isRegularFile(r.checkpoint())) {
            tr.resume(r.checkpoint());
        }
        return tr;
    }

    /** A classifier package's manifest. */
    static Map<String, Object> manifest(Recipe r, Trainer<?> tr, String name, ClassifierCnn net, ImageDataset train,
                                        double accEma, double accRaw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "classifier");
        m.put("architecture", ClassifierCnn.ARCHITECTURE);
        m.put("config", net.config());
        m.put("imageShape", train.shape());
        m.put("pixelRange", List.of(-1, 1));
        Map<String, Object> cond = new LinkedHashMap<>();
        cond.put("type", "class");
        cond.put("classNames", train.classNames());
        m.put("conditioning", cond);
        m.put("featureLayer", "fc (ReLU), " + net.featureSize() + "-d");
        m.put("weightsAre", "EMA");
        Map<String, Object> prov = FlowRecipe.provenance(r, tr, train.name());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("testAccuracyEma", accEma);
        metrics.put("testAccuracyRaw", accRaw);
        prov.put("metrics", metrics);
        m.put("provenance", prov);
        return m;
    }
}
