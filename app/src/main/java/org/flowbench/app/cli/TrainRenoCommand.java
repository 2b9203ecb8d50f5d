package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Png;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.Quantisation;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.engine.model.pkg.ClassifierModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.engine.train.ReferenceStatistics;
import org.flowbench.samplers.SamplerRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowbench train reno}: the ReNO study of the method reference (§6.2 R4) on a one-step generator. For each
 * arm (the gradient search, image-select at the same number of evaluations, λ = 0, no optimisation, …) the same
 * prompted images (class i mod k for image i, same seeds) are optimised, and per arm it reports: the reward
 * classifier's mean probability of the prompted class before → after, the held-out judge's rate of agreeing with the
 * prompt before → after (95 % Wilson intervals), ‖z‖ against √(d−1), domain FID of the initial and the chosen sets,
 * evaluations and wall time per image. One JSON line per arm; an optional contact sheet initial vs optimised.
 */
@Command(name = "reno", mixinStandardHelpOptions = true,
        description = "ReNO study: prompted-class probability by the reward and by a held-out judge, per arm.")
final class TrainRenoCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = "builtin:fashion-slimflow",
            description = "generator (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--prompt", defaultValue = "Shirt,T-shirt/top,Pullover,Coat",
            description = "classes, image i gets class i mod k (default: the confusable upper-body classes)")
    String prompt;

    @Option(names = "--n", defaultValue = "100", description = "images per class (default ${DEFAULT-VALUE})")
    int perClass;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch", defaultValue = "100", description = "images per batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--arm", split = ";", defaultValue = "gradient;image-select;no-reg",
            description = "arms, ';'-separated: gradient, image-select, none, no-reg (λ = 0), adam, or NAME=PARAMS "
                    + "with PARAMS 'k=v,k=v' of the reno sampler (several rewards: rewards=a=1+b=0.5) "
                    + "(default ${DEFAULT-VALUE})")
    List<String> arms;

    @Option(names = "--param", description = "reno parameter name=value for every arm (repeatable)")
    List<String> params = new ArrayList<>();

    @Option(names = "--json", description = "append one JSON line per arm to this file")
    Path json;

    @Option(names = "--sheet", description = "contact sheet (PNG) of the first arm: per class a row of initial "
            + "images above the same images optimised")
    Path sheet;

    @Option(names = "--sheet-columns", defaultValue = "10", description = "images per class on the sheet")
    int sheetColumns;

    /** The reno parameters of an arm. */
    static Map<String, String> armParams(String arm) {
        Map<String, String> p = new LinkedHashMap<>();
        switch (arm) {
            case "gradient" -> { }
            case "image-select", "none" -> p.put("search", arm);
            case "no-reg" -> p.put("reg-weight", "0");
            case "adam" -> p.put("optimizer", "adam");
            default -> {
                int eq = arm.indexOf('=');
                if (eq < 0) {
                    throw new FlowbenchException("unknown arm '" + arm + "'",
                            "use gradient, image-select, none, no-reg, adam or NAME=k=v,k=v");
                }
                for (String kv : arm.substring(eq + 1).split(",")) {
                    int e = kv.indexOf('=');
                    if (e < 0) {
                        throw new FlowbenchException("arm '" + arm + "': '" + kv + "' is not k=v");
                    }
                    p.put(kv.substring(0, e).trim(), kv.substring(e + 1).trim());
                }
            }
        }
        return p;
    }

    static String armName(String arm) {
        int eq = arm.indexOf('=');
        return eq < 0 ? arm : arm.substring(0, eq);
    }

    /** 95 % Wilson interval of a rate k/n. */
    static double[] wilson(double k, double n) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959964;
        double p = k / n;
        double den = 1 + z * z / n;
        double mid = (p + z * z / (2 * n)) / den;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den;
        return new double[] {mid - half, mid + half};
    }

    @Override
    public Integer call() throws Exception {
        deviceOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path cls = PackageResolver.builtinDir("fashion-classifier");
        ReferenceStats ref = ReferenceStats.read(cls.resolve(ReferenceStatistics.FILE));
        try (FlowModel m = Models.open(model); ClassifierModel c = ClassifierModel.open(ModelPackage.open(cls))) {
            PromptSet prompts = PromptSet.parse(prompt, m);
            int[] cycle = prompts.cycle();
            int k = cycle.length;
            int n = perClass * k;
            int d = m.dim();
            boolean sheetDone = false;
            ReferenceStats classRef = classReference(c, ref, cycle);
            for (String arm : arms) {
                Map<String, String> p = new LinkedHashMap<>(org.flowbench.samplers.Configs.parsePairs(params));
                p.putAll(armParams(arm));
                Map<String, double[]> extras = new LinkedHashMap<>();
                long[] lastReport = {System.nanoTime()};
                ProgressListener l = new ProgressListener() {
                    @Override
                    public void extras(long first, int count, Map<String, double[]> perImage) {
                        perImage.forEach((key, v) -> {
                            int w = v.length / count;
                            System.arraycopy(v, 0, extras.computeIfAbsent(key, x -> new double[n * w]),
                                    (int) first * w, count * w);
                        });
                    }

                    @Override
                    public void progress(long done, long total, String what) {
                        long now = System.nanoTime();
                        if (now - lastReport[0] > 30e9) {
                            lastReport[0] = now;
                            err.printf(Locale.ROOT, "%s: %d/%d image-iterations%n", armName(arm), done, total);
                            err.flush();
                        }
                    }
                };
                long t0 = System.nanoTime();
                SampleBatch b = SamplerRegistry.create("reno", p).sample(
                        SamplingRequest.conditioned(seed, 0, n, batch, cycle, 0), m, l, CancellationToken.NONE);
                double wall = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("arm", armName(arm));
                j.put("params", p);
                j.put("model", model);
                j.put("modelHash", m.hash());
                j.put("prompts", prompts.description());
                j.put("n", n);
                j.put("seed", seed);
                j.put("rewardProbabilityInitial", meanExp(extras.get("reward1-initial")));
                j.put("rewardProbabilityBest", meanExp(extras.get("reward1-best")));
                // every reward of the arm (each a log-probability): its mean probability before and after
                List<List<Double>> perReward = new ArrayList<>();
                for (int r = 1; extras.containsKey("reward" + r + "-initial"); r++) {
                    perReward.add(List.of(meanExp(extras.get("reward" + r + "-initial")),
                            meanExp(extras.get("reward" + r + "-best"))));
                }
                j.put("rewards", b.manifest().get("rewards"));
                j.put("rewardProbabilitiesInitialBest", perReward);
                putRate(j, "judgeAgreesInitial", extras.get("judge-agrees-initial"));
                putRate(j, "judgeAgreesBest", extras.get("judge-agrees-best"));
                j.put("judgeProbabilityInitial", mean(extras.get("judge-probability-initial")));
                j.put("judgeProbabilityBest", mean(extras.get("judge-probability-best")));
                double target = Math.sqrt(d - 1.0);
                double[] norms = extras.get("noise-norm-best");
                double worst = 0;
                for (double v : norms) {
                    worst = Math.max(worst, Math.abs(v - target) / target);
                }
                j.put("noiseNormBestMean", mean(norms));
                j.put("noiseNormTarget", target);
                j.put("noiseNormWorstRelativeDeviation", worst);
                j.put("bestIterationMean", mean(extras.get("best-iteration")));
                // domain FID against the Fashion-MNIST test images of the prompted classes (same N for every arm)
                j.put("fidReference", classRef.identity().dataset() + " " + classRef.identity().split() + " ("
                        + classRef.identity().count() + " images)");
                j.put("fidInitial", fid(c, classRef, extras.get("initial"), n, d, model + " initial"));
                j.put("fidBest", fid(c, classRef, b.samples(), n, d, model + " " + armName(arm)));
                Map<String, Object> byClass = new LinkedHashMap<>();
                for (int cl = 0; cl < k; cl++) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (String key : new String[] {"judge-agrees-initial", "judge-agrees-best"}) {
                        double[] all = extras.get(key);
                        double[] mine = new double[perClass];
                        for (int i = 0; i < perClass; i++) {
                            mine[i] = all[cl + i * k];
                        }
                        row.put(key, mean(mine));
                    }
                    byClass.put(m.classNames().get(cycle[cl]), row);
                }
                j.put("byClass", byClass);
                j.put("cost", b.cost().perImage());
                j.put("wallSecondsPerImage", wall / n);
                String line = Json.COMPACT.writeValueAsString(j);
                out.println(line);
                out.flush();
                if (json != null) {
                    TrainCommand.Evaluate.appendLine(json, line);
                }
                if (sheet != null && !sheetDone) {
                    writeSheet(extras.get("initial"), b.samples(), k, d, m.shape());
                    sheetDone = true;
                }
            }
        }
        return 0;
    }

    private void writeSheet(double[] initial, double[] best, int k, int d, int[] shape) throws Exception {
        int cols = Math.min(sheetColumns, perClass);
        double[] grid = new double[2 * k * cols * d];
        int at = 0;
        for (int cl = 0; cl < k; cl++) {
            for (double[] src : new double[][] {initial, best}) {
                for (int j = 0; j < cols; j++) {
                    int img = cl + j * k; // image i has class i mod k
                    System.arraycopy(src, img * d, grid, at * d, d);
                    at++;
                }
            }
        }
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", "Flowbench");
        text.put("Description", "ReNO: per class (" + prompt + ") a row of initial images above the same images "
                + "after optimisation");
        Png.writeGrid(sheet, grid, 2 * k * cols, shape[1], shape[2], cols, text);
    }

    /** Feature statistics of the Fashion-MNIST test images whose class is one of {@code classes}. */
    private static ReferenceStats classReference(ClassifierModel c, ReferenceStats all, int[] classes) {
        org.flowbench.engine.data.ImageDataset test = org.flowbench.engine.data.Datasets.load(null, "test");
        java.util.Set<Integer> want = new java.util.HashSet<>();
        for (int cl : classes) {
            want.add(cl);
        }
        int d = test.pixels().length / test.labels().length;
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < test.labels().length; i++) {
            if (want.contains(test.labels()[i])) {
                idx.add(i);
            }
        }
        double[] x = new double[idx.size() * d];
        for (int j = 0; j < idx.size(); j++) {
            for (int e = 0; e < d; e++) {
                x[j * d + e] = test.pixels()[idx.get(j) * d + e];
            }
        }
        ReferenceStats s = stats(c, all, x, idx.size(), d, test.name() + " classes " + java.util.Arrays.toString(classes));
        return s;
    }

    private static ReferenceStats stats(ClassifierModel c, ReferenceStats ref, double[] images, int n, int d,
                                        String what) {
        double[] x = Quantisation.applied(ref.identity().quantisation(), images, n * d);
        GaussianStats g = new GaussianStats(c.dim());
        for (int i0 = 0; i0 < n; i0 += 500) {
            int k = Math.min(500, n - i0);
            double[] f = new double[k * c.dim()];
            c.features(java.util.Arrays.copyOfRange(x, i0 * d, (i0 + k) * d), k, f);
            g.addBatch(f, k);
        }
        return new ReferenceStats(ReferenceStats.Identity.of(what, "test", c, ref.identity().quantisation()), g);
    }

    private static double fid(ClassifierModel c, ReferenceStats ref, double[] images, int n, int d, String what) {
        return stats(c, ref, images, n, d, what).fid(ref);
    }

    private static double mean(double[] v) {
        double s = 0;
        int c = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                c++;
            }
        }
        return c == 0 ? Double.NaN : s / c;
    }

    private static double meanExp(double[] logp) {
        double[] p = new double[logp.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logp[i]);
        }
        return mean(p);
    }

    private static void putRate(Map<String, Object> j, String key, double[] hits) {
        double k = 0;
        int n = 0;
        for (double h : hits) {
            if (Double.isFinite(h)) {
                k += h;
                n++;
            }
        }
        j.put(key, k / n);
        j.put(key + "Interval95", List.of(wilson(k, n)[0], wilson(k, n)[1]));
    }
}
