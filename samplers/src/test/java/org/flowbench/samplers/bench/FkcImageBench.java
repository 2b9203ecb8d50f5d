package org.flowbench.samplers.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.data.FashionMnist;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.ClassifierModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;

/**
 * The image figures of docs/benchmarks.md "BOSS and FKC" (not a test; run by hand from the repository root):
 * CFG+FKC (particles 8, output first) vs the same SDE with correct=false vs the CFG ODE (Euler, Heun) on
 * builtin:fashion-flow, the same seeds and prompts, judged by builtin:fashion-classifier. Arguments:
 * {@code steps perClass guidance... } (defaults 20 10 2 4); writes docs/fkc-contact-sheet.png when asked
 * ({@code -Dsheet=path}).
 */
public final class FkcImageBench {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FkcImageBench.class);
    private static final int[] CLASSES = {2, 6, 7}; // Pullover, Shirt, Sneaker

    private FkcImageBench() {}

    private static void printf(String format, Object... args) {
        LOG.info(String.format(java.util.Locale.ROOT, format, args).strip());
    }

    record Result(String name, double rate, double meanLogProb, double nfe, double seconds, double[] images) {}

    static Result run(String name, String sampler, Map<String, String> p, FlowModel m, ClassifierModel clf,
                      int[] labels, int batch) {
        int n = labels.length;
        SamplingRequest req = new SamplingRequest(1, 0, n, batch, labels, 0);
        long t0 = System.nanoTime();
        SampleBatch b = SamplerRegistry.create(sampler, p).sample(req, m, ProgressListener.NONE,
                CancellationToken.NONE);
        double sec = (System.nanoTime() - t0) / 1e9;
        double[] lp = new double[n * 10];
        clf.logProbabilities(b.samples(), n, lp);
        int hit = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (lp[i * 10 + k] > lp[i * 10 + best]) {
                    best = k;
                }
            }
            if (best == labels[i]) {
                hit++;
            }
            sum += lp[i * 10 + labels[i]];
        }
        double nfe = 0;
        for (long v : b.nfe()) {
            nfe += v;
        }
        Result r = new Result(name, (double) hit / n, sum / n, nfe / n, sec, b.samples());
        printf("%-34s classified-as-prompted %5.1f %%  mean log p(y|x) %7.3f  NFE/image %6.0f  wall %7.1f s",
                name, 100 * r.rate, r.meanLogProb, r.nfe, r.seconds);
        return r;
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Double> ws = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            ws.add(Double.parseDouble(args[i]));
        }
        if (ws.isEmpty()) {
            ws = List.of(2.0, 4.0);
        }
        int n = CLASSES.length * perClass;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = CLASSES[i / perClass];
        }
        try (FlowModel m = Models.open("builtin:fashion-flow");
             ClassifierModel clf = ClassifierModel.open(ModelPackage.open(PackageResolver.builtinDir(
                     "fashion-classifier")))) {
            // warm-up (a fresh JVM is several times slower on its first network calls)
            run("warm-up", "fkc", Map.of("target", "cfg", "guidance", "2", "steps", "3", "particles", "8"), m, clf,
                    new int[] {7, 7}, 16);
            String sheet = System.getProperty("sheet");
            for (double w : ws) {
                String g = Double.toString(w);
                printf("== guidance w = %s, %d steps, %d images (%d classes x %d) ==", g, steps, n, CLASSES.length,
                        perClass);
                Result fkc = run("CFG+FKC (P=8, output=first)", "fkc", Map.of("target", "cfg", "guidance", g,
                        "steps", "" + steps, "particles", "8", "output", "first"), m, clf, labels, 8 * 30);
                Result sde = run("same SDE, correct=false", "fkc", Map.of("target", "cfg", "guidance", g,
                        "steps", "" + steps, "particles", "1", "output", "first", "correct", "false"), m, clf,
                        labels, 240);
                try (FlowModel guided = Models.open("builtin:fashion-flow?cfg=" + g)) {
                    Result eu = run("CFG ODE euler", "euler", Map.of("steps", "" + steps), guided, clf, labels, 240);
                    Result he = run("CFG ODE heun", "heun", Map.of("steps", "" + steps), guided, clf, labels, 240);
                    printf("wall-time ratio FKC / correct=false: %.1fx; FKC / ODE euler: %.1fx",
                            fkc.seconds / sde.seconds, fkc.seconds / eu.seconds);
                    if (sheet != null && w == ws.get(ws.size() - 1)) {
                        // rows: ODE euler, SDE correct=false, FKC; 4 images per class
                        int cols = 4 * CLASSES.length;
                        double[] grid = new double[3 * cols * 784];
                        Result[] rows = {eu, sde, fkc};
                        for (int r = 0; r < 3; r++) {
                            for (int c = 0; c < cols; c++) {
                                int img = (c / 4) * perClass + (c % 4);
                                System.arraycopy(rows[r].images, img * 784, grid, (r * cols + c) * 784, 784);
                            }
                        }
                        Map<String, String> text = new LinkedHashMap<>();
                        text.put("Description", "rows: CFG ODE euler, SDE correct=false, CFG+FKC P=8 output=first; "
                                + "w=" + g + ", " + steps + " steps, seed 1; columns: 4 each of "
                                + FashionMnist.CLASS_NAMES.get(CLASSES[0]) + ", "
                                + FashionMnist.CLASS_NAMES.get(CLASSES[1]) + ", "
                                + FashionMnist.CLASS_NAMES.get(CLASSES[2]));
                        org.flowbench.engine.io.Png.writeGrid(Path.of(sheet), grid, 3 * cols, 28, 28, cols, text);
                        printf("contact sheet: %s", sheet);
                    }
                }
            }
        }
    }
}
