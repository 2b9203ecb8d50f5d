package org.flowbench.engine.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.run.CancellationToken;

/**
 * A real-vs-generated discriminator for a realism reward: the classifier CNN with two classes (0 = real, 1 =
 * generated) trained on real images and a generator's images, judged on held-out real images and images the
 * generator made from other seeds. Its package names class 0 as its reward: r(x) = log p(real | x), whatever the
 * prompt.
 */
public final class RealismRecipe {
    /** Held-out accuracy overall and on each side. */
    public record Accuracy(double overall, double real, double generated) {}

    private RealismRecipe() {}

    /** Real and generated images (flattened, [−1, 1]) as one labelled dataset: real first (label 0), then generated. */
    public static ImageDataset dataset(String name, int[] shape, float[] real, int nReal, float[] generated,
                                       int nGenerated) {
        int d = shape[0] * shape[1] * shape[2];
        if (real.length != nReal * d || generated.length != nGenerated * d) {
            throw new IllegalArgumentException("image arrays do not match their counts");
        }
        float[] px = new float[(nReal + nGenerated) * d];
        System.arraycopy(real, 0, px, 0, nReal * d);
        System.arraycopy(generated, 0, px, nReal * d, nGenerated * d);
        int[] labels = new int[nReal + nGenerated];
        java.util.Arrays.fill(labels, nReal, labels.length, 1);
        return new ImageDataset(name, shape, px, labels, List.of("real", "generated"));
    }

    /**
     * Trains on {@code train}, measures held-out accuracy on {@code test} and writes the package into r.out() when
     * finished; {@code generator} (reference and hash) and {@code sampling} describe the generated side.
     */
    public static Trainer.Result run(Recipe r, String name, int[] shape, ImageDataset train, ImageDataset test,
                                     Map<String, Object> generated, Trainer.Listener listener,
                                     CancellationToken cancel) throws IOException {
        if (!train.classNames().equals(List.of("real", "generated"))) {
            throw new FlowbenchException("a realism discriminator trains on classes real and generated");
        }
        ClassifierCnn net = ClassifierRecipe.network(2, shape);
        Trainer<ClassifierRecipe.Batch> tr = ClassifierRecipe.trainer(r, net);
        Trainer.Result res = tr.run(ClassifierRecipe.source(train, r.batch(), r.seed()),
                ClassifierRecipe.loss(net, train.shape()), listener, cancel);
        if (res.finished()) {
            Accuracy ema = accuracy(net, tr.ema(), test);
            Accuracy raw = accuracy(net, tr.params(), test);
            Map<String, Object> m = ClassifierRecipe.manifest(r, tr, name, net, train, ema.overall(), raw.overall());
            Map<String, Object> reward = new LinkedHashMap<>();
            reward.put("class", 0);
            reward.put("name", "log p(real | x)");
            m.put("reward", reward);
            m.put("generated", generated);
            @SuppressWarnings("unchecked")
            Map<String, Object> metrics = (Map<String, Object>) ((Map<String, Object>) m.get("provenance"))
                    .get("metrics");
            metrics.put("heldOutRealAccuracy", ema.real());
            metrics.put("heldOutGeneratedAccuracy", ema.generated());
            ModelPackage.write(r.out(), m, tr.ema(), Map.of("architecture", ClassifierCnn.ARCHITECTURE),
                    card(r, tr, name, net, ema, raw, generated));
        }
        return res;
    }

    static Accuracy accuracy(ClassifierCnn net, org.flowbench.engine.nn.ParamStore w, ImageDataset test) {
        int n = test.size();
        int realN = 0;
        for (int l : test.labels()) {
            realN += l == 0 ? 1 : 0;
        }
        ImageDataset realOnly = slice(test, 0, realN);
        ImageDataset genOnly = slice(test, realN, n - realN);
        double a = ClassifierRecipe.accuracy(net, w, realOnly);
        double b = ClassifierRecipe.accuracy(net, w, genOnly);
        return new Accuracy((a * realN + b * (n - realN)) / n, a, b);
    }

    /** Images [from, from + count) of a dataset whose real images come first. */
    private static ImageDataset slice(ImageDataset ds, int from, int count) {
        int d = ds.dim();
        float[] px = java.util.Arrays.copyOfRange(ds.pixels(), from * d, (from + count) * d);
        int[] labels = java.util.Arrays.copyOfRange(ds.labels(), from, from + count);
        return new ImageDataset(ds.name(), ds.shape(), px, labels, ds.classNames());
    }

    private static String card(Recipe r, Trainer<?> tr, String name, ClassifierCnn net, Accuracy ema, Accuracy raw,
                               Map<String, Object> generated) {
        return """
                # %s

                A real-vs-generated discriminator for 28×28 grey Fashion-MNIST images: Flowbench's realism reward
                r(x) = log p(real | x) (class 0 of its two classes, whatever the prompt). ReNO can weigh it against a
                prompt reward so that optimised images stay close to real ones.

                - Architecture: `classifier-cnn-v1` with two classes, config %s. Input pixels in [−1, 1].
                - Real side: Fashion-MNIST train images; generated side: %s.
                - Held-out accuracy (Fashion-MNIST test images against images the generator made from other seeds):
                  %.2f %% overall, %.2f %% on real, %.2f %% on generated (EMA weights, shipped); %.2f %% raw.
                - It knows one generator: images of other models or samplers are out of its distribution.

                ## Training

                Steps %d, batch %d, Adam lr %s with %d warm-up steps, clip 1.0, EMA %s, seed %d, wall time %.0f s on
                the 2-core development machine.

                Reproduce:

                    %s
                """.formatted(name, net.config(), generated, 100 * ema.overall(), 100 * ema.real(),
                100 * ema.generated(), 100 * raw.overall(), tr.step(), r.batch(), r.lr(), r.warmup(), r.ema(),
                r.seed(), tr.wallSeconds(), r.command());
    }
}
