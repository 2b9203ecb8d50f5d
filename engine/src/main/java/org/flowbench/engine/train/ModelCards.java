package org.flowbench.engine.train;

/** The MODEL_CARD.md texts of the built-in models. */
final class ModelCards {
    private ModelCards() {}

    static String flow(Recipe r, FlowRecipe.Tuning tuning, Trainer<?> tr) {
        String origin = tuning.initPackage() == null ? "trained from\nscratch"
                : "fine-tuned from\n`" + tuning.initPackage() + "`";
        return """
                # %s

                A class-conditional rectified-flow velocity network for 28×28 grey Fashion-MNIST images, %s
                with Flowbench's own Java training loop (DJL + PyTorch CPU).

                - Architecture: `flow-unet-v1` (small UNet, levels 28/14/7, channels 16/48/64, GroupNorm + SiLU,
                  time embedding of 1000·t, learned class embedding with a null class 10 for guidance).
                - Path: rectified flow, t = 0 noise, t = 1 data, x_t = t·x1 + (1−t)·x0, target x1 − x0.
                - Conditioning: 10 Fashion-MNIST classes; label dropped to the null class with probability %s.
                - Weights: EMA (decay min(%s, (1+k)/(10+k))).
                - Data: Fashion-MNIST train split (60 000 images, MIT licence, Zalando), pixels scaled to [−1, 1].

                ## Training

                Steps %d, batch %d, Adam lr %s with %d warm-up steps, clip 1.0, seed %d, skipped steps %d,
                wall time %.0f s on the 2-core development machine.

                Reproduce:

                    %s

                (`--resume` continues an interrupted run bit-for-bit from `checkpoint.safetensors`.)

                ## Evaluation

                See `provenance.metrics` in `flowbench-model.json` once measured.
                """.formatted(r.out().getFileName(), origin, tuning.labelDropout(), r.ema(), tr.step(), r.batch(), r.lr(), r.warmup(), r.seed(), tr.skipped(), tr.wallSeconds(),
                r.command());
    }

    static String classifier(Recipe r, Trainer<?> tr, String name, org.flowbench.engine.nn.ClassifierCnn net,
                             double accEma, double accRaw) {
        java.util.Map<String, Object> c = net.config();
        java.util.List<?> ch = (java.util.List<?>) c.get("channels");
        int k = (Integer) c.get("kernel");
        int f = net.featureSize();
        String role = name.equals("fashion-judge") ? """
                The held-out judge: a second classifier with another shape and seed than `builtin:fashion-classifier`.
                No built-in recipe uses it as a reward, and ReNO refuses a judge that is also one of its rewards, so its
                verdict on images that a reward pushed towards a class shows whether the images changed or only fooled
                the reward.
                """ : """
                Its %d-d penultimate layer (`fc`, after ReLU) is the feature space for Flowbench's domain FID on this
                dataset; its log-softmax is a differentiable reward.
                """.formatted(f);
        return """
                # %s

                A small CNN classifier for 28×28 grey Fashion-MNIST images.
                %s
                - Architecture: `classifier-cnn-v1` (conv %s, conv %s, max-pool, conv %s, conv %s, max-pool, all
                  %d×%d, fc %d→%d ReLU, head %d→%d). Input pixels in [−1, 1].
                - Data: Fashion-MNIST train split with random horizontal flips; evaluated on the test split.
                - Test accuracy: %.2f %% (EMA weights, shipped), %.2f %% (raw weights).

                ## Training

                Steps %d, batch %d, Adam lr %s with %d warm-up steps, clip 1.0, EMA %s, seed %d, wall time %.0f s on
                the 2-core development machine.

                Reproduce:

                    %s

                ## Reference statistics

                `fashion-mnist-test.stats` (Flowbench statistics format, `flowbench-stats/1`): mean and covariance
                (float64) of the %d-d features of the 10 000 Fashion-MNIST test images, with the identity of data,
                extractor (`builtin:%s`, hash = the package hash) and preprocessing. Made by the recipe above (or
                `flowbench train reference-stats`).
                """.formatted(name, role, ch.get(0), ch.get(0), ch.get(1), ch.get(1), k, k,
                (Integer) ch.get(1) * 49, f, f, net.classes(), 100 * accEma, 100 * accRaw, tr.step(), r.batch(),
                r.lr(), r.warmup(), r.ema(), r.seed(), tr.wallSeconds(), r.command(), f, name);
    }
}
