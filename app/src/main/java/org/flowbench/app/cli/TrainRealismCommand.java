package org.flowbench.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.Datasets;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.engine.train.RealismRecipe;
import org.flowbench.engine.train.Recipe;
import org.flowbench.engine.train.Trainer;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowbench train realism}: a real-vs-generated discriminator for one generator, shipped as a realism reward
 * (log p(real | x)). The generated side is sampled here (seed {@code --seed} for training, seed + 1 for the held-out
 * set); the real side is Fashion-MNIST train (training) and test (held out).
 */
@Command(name = "realism", mixinStandardHelpOptions = true,
        description = "Real-vs-generated discriminator for a generator: a realism reward log p(real | x).")
final class TrainRealismCommand extends TrainCommand.Base {
    @Option(names = "--out", description = "package folder (default models/NAME)")
    Path out;

    @Option(names = "--name", defaultValue = "fashion-realism", description = "package name (default ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--generator", defaultValue = "builtin:fashion-slimflow",
            description = "the generator whose images are 'generated' (default ${DEFAULT-VALUE})")
    String generator;

    @Option(names = "--sampler", defaultValue = "euler", description = "its sampler (default ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--sampler-steps", defaultValue = "1", description = "its steps (default ${DEFAULT-VALUE})")
    int samplerSteps;

    @Option(names = "--prompt", defaultValue = "all", description = "prompts of the generated images (default all)")
    String prompt;

    @Option(names = "--images", defaultValue = "30000",
            description = "images per side for training (default ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--held-out", defaultValue = "5000",
            description = "images per side held out for the accuracy (default ${DEFAULT-VALUE})")
    int heldOut;

    @Option(names = "--steps", defaultValue = "2000", description = "training steps (default ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--batch", defaultValue = "128", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", defaultValue = "100", description = "warm-up steps (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--ema", defaultValue = "0.998", description = "nominal EMA decay (default ${DEFAULT-VALUE})")
    double ema;

    @picocli.CommandLine.Mixin
    ClassifierShapeOptions shape = new ClassifierShapeOptions();

    @Override
    Recipe recipe(String command) {
        return recipe(out, "models/" + name, steps, batch, lr, warmup, ema, command);
    }

    @Override
    Trainer.Result train(Recipe r, Trainer.Listener l, CancellationToken c) throws Exception {
        int[] netShape = shape.shape(new int[] {16, 32}, 64);
        ImageDataset realTrain = Datasets.load(r.data(), "train");
        ImageDataset realTest = Datasets.load(r.data(), "test");
        if (realTrain.size() < images || realTest.size() < heldOut) {
            throw new FlowbenchException("need " + images + " training and " + heldOut + " held-out real images; "
                    + "the data has " + realTrain.size() + " and " + realTest.size(),
                    "lower --images or --held-out");
        }
        int d = realTrain.dim();
        Map<String, Object> side = new LinkedHashMap<>();
        float[] genTrain;
        float[] genTest;
        try (FlowModel m = Models.open(generator)) {
            if (m.dim() != d) {
                throw new FlowbenchException(generator + " makes images of " + m.dim() + " values, the data has " + d);
            }
            PromptSet prompts = PromptSet.parse(m.classNames().isEmpty() ? "" : prompt, m);
            genTrain = generate(m, prompts, r.seed(), images, c);
            genTest = generate(m, prompts, r.seed() + 1, heldOut, c);
            side.put("model", generator);
            side.put("modelHash", m.hash());
            side.put("sampler", sampler + " steps=" + samplerSteps);
            side.put("prompts", prompts.description());
            side.put("seeds", List.of(r.seed(), r.seed() + 1));
        }
        ImageDataset train = RealismRecipe.dataset("fashion-mnist/train + " + generator, realTrain.shape(),
                java.util.Arrays.copyOf(realTrain.pixels(), images * d), images, genTrain, images);
        ImageDataset test = RealismRecipe.dataset("fashion-mnist/test + " + generator, realTest.shape(),
                java.util.Arrays.copyOf(realTest.pixels(), heldOut * d), heldOut, genTest, heldOut);
        return RealismRecipe.run(r, name, netShape, train, test, side, l, c);
    }

    private float[] generate(FlowModel m, PromptSet prompts, long seed, int n, CancellationToken cancel) {
        Map<String, String> p = new LinkedHashMap<>();
        if (SamplerRegistry.get(sampler).params().stream().anyMatch(s -> s.name().equals("steps"))) {
            p.put("steps", Integer.toString(samplerSteps));
        }
        SampleBatch b = SamplerRegistry.create(sampler, p).sample(
                SamplingRequest.conditioned(seed, 0, n, 256, prompts.cycle(), 0), m, ProgressListener.NONE, cancel);
        // quantised to the 256 grey levels real images have, so that the pixel grid is no shortcut
        float[] f = new float[b.samples().length];
        for (int i = 0; i < f.length; i++) {
            double v = Math.max(-1, Math.min(1, b.samples()[i]));
            f[i] = ImageDataset.toUnit((int) Math.round((v + 1) * 127.5));
        }
        return f;
    }
}
