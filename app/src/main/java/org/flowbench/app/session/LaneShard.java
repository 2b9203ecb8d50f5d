package org.flowbench.app.session;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunRecord;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;

/**
 * A lane of a project run in shards (a sweep): images [from, to) of one lane and seed, sampled exactly as
 * {@link Session} samples them (the same batches of the project's batch size from image 0, the same per-image
 * noise), measured into a mergeable {@link QualityPart}; {@link #merge} puts a lane's shards back together in image
 * order on the machine that reports, and {@link #results} ranks the lanes of one run as {@link Session} does. The
 * figures equal {@code flowbench run}'s: samples bit for bit, statistics to float64 round-off (bit for bit with one
 * shard); timings are the shards' own.
 */
public final class LaneShard {
    private LaneShard() {}

    /** Images [from, to) of lane {@code lane} sampled with {@code seed}; from and to fall on the project's batches. */
    public record Key(int lane, long seed, int from, int to) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** A file-name-safe name, unique within a sweep's grid point. */
        public String id() {
            return String.format(Locale.ROOT, "lane%03d-seed%d-%09d-%09d", lane, seed, from, to);
        }
    }

    /** What a shard returns: counts, per-batch timings, the run record of its calls, kept samples, its quality part. */
    public record Result(Key key, String status, String message, long images, long nfe, double busySeconds,
            int[] batchImages, long[] batchNanos, long[] batchNfe, String identityJson, Map<String, Long> cost,
            double wallSeconds, double[] kept, QualityPart quality) implements Serializable {
        private static final long serialVersionUID = 1L;

        public boolean failed() {
            return "failed".equals(status);
        }
    }

    /** A lane merged from its shards, before the run's KID ranks. */
    public record Merged(String lane, String status, String message, LaneStats stats, Map<String, Object> record,
            QualityEvaluator.KidSums kid, double[] kept, List<Map<String, Double>> history) {}

    // opened once per JVM (a Spark executor opens each model once, whatever number of shards it runs)
    private static final Map<String, FlowModel> MODELS = new ConcurrentHashMap<>();

    /** The model a reference names, opened once per JVM; refused when its hash differs from the expected one. */
    public static FlowModel model(String ref, String expectedHash) {
        FlowModel m = MODELS.computeIfAbsent(ref, Models::open);
        if (expectedHash != null && !expectedHash.equals(m.hash())) {
            throw new FlowbenchException(ref + " here has hash " + m.hash() + ", not " + expectedHash
                    + " as where the sweep started", "install the same model package on every machine of the sweep");
        }
        return m;
    }

    /** Samples and measures one shard (on an executor). */
    public static Result run(Project p, Key key, String expectedHash) {
        LaneSpec spec = p.lanes().get(key.lane());
        if (key.from() % p.batch() != 0 || key.from() >= key.to() || key.to() > p.n()) {
            throw new FlowbenchException("shard " + key.id() + " does not fall on the batches of " + p.batch()
                    + " images of a run of " + p.n());
        }
        FlowModel model = model(spec.modelOr(p.model()), expectedHash);
        int dim = model.dim();
        int keepLimit = dim <= 3 ? p.n() : Math.min(p.n(), 64);
        PromptSet prompts = PromptSet.parse(p.prompt(), model);
        SamplingRequest request = SamplingRequest.conditioned(key.seed(), 0, p.n(), p.batch(), prompts.cycle(), 0);
        int batches = (key.to() - key.from() + p.batch() - 1) / p.batch();
        int[] bImages = new int[batches];
        long[] bNanos = new long[batches];
        long[] bNfe = new long[batches];
        RunRecord record = new RunRecord();
        double[] kept = new double[Math.max(0, Math.min(key.to(), keepLimit) - key.from()) * dim];
        long images = 0;
        long nfe = 0;
        double busy = 0;
        QualityEvaluator quality;
        Sampler sampler;
        try {
            SamplerRegistry.get(spec.sampler()).checkModel(model);
            sampler = SamplerRegistry.create(spec.sampler(), spec.params());
            quality = Metrics.forLane(model, prompts.cycle(), p.referenceStats(), key.from());
        } catch (FlowbenchException e) {
            return failed(key, e.oneLine());
        }
        for (int k = 0; k < batches; k++) {
            int from = key.from() + k * p.batch();
            int count = Math.min(p.batch(), key.to() - from);
            long start = System.nanoTime();
            SampleBatch b;
            try {
                b = sampler.sample(request.slice(from, count, count), model, ProgressListener.NONE,
                        CancellationToken.NONE);
            } catch (FlowbenchException e) {
                return failed(key, e.oneLine());
            }
            long nanos = System.nanoTime() - start;
            double[] s = b.samples();
            for (int i = 0; i < s.length; i++) {
                if (!Double.isFinite(s[i])) {
                    return failed(key, "non-finite value (" + s[i] + ") in image " + (b.firstImage() + i / dim)
                            + "; the sampler diverged");
                }
            }
            bImages[k] = b.count();
            bNanos[k] = nanos;
            bNfe[k] = b.totalNfe();
            busy += nanos / 1e9;
            images += b.count();
            nfe += b.totalNfe();
            record.add(b);
            int take = Math.min(b.count(), keepLimit - from);
            if (take > 0) {
                System.arraycopy(s, 0, kept, (from - key.from()) * dim, take * dim);
            }
            quality.add(s, b.count());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("lane", spec.name());
        extra.put("prompt", p.prompt());
        extra.put("prompts", prompts.description());
        String identity;
        try {
            identity = Json.COMPACT.writeValueAsString(record.toMap(extra));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Result(key, "done", null, images, nfe, busy, bImages, bNanos, bNfe, identity,
                new LinkedHashMap<>(record.costTotals()), record.wallSeconds(), kept, quality.part());
    }

    private static Result failed(Key key, String message) {
        return new Result(key, "failed", message, 0, 0, 0, new int[0], new long[0], new long[0], null, Map.of(), 0,
                new double[0], null);
    }

    /** Puts one lane's shards (of one seed, covering images 0 … n − 1 in order) back together (on the driver). */
    public static Merged merge(Project p, int lane, long seed, List<Result> shards) {
        LaneSpec spec = p.lanes().get(lane);
        List<Result> sorted = new ArrayList<>(shards);
        sorted.sort(java.util.Comparator.comparingInt(r -> r.key().from()));
        int expect = 0;
        for (Result r : sorted) {
            if (r.key().lane() != lane || r.key().seed() != seed || r.key().from() != expect) {
                throw new FlowbenchException("the shards of lane " + spec.name() + ", seed " + seed
                        + " do not cover images 0 … " + (p.n() - 1) + " once each (at " + r.key().id() + ")");
            }
            expect = r.key().to();
        }
        if (expect != p.n()) {
            throw new FlowbenchException("the shards of lane " + spec.name() + ", seed " + seed + " end at image "
                    + expect + " of " + p.n());
        }
        Result failure = sorted.stream().filter(Result::failed).findFirst().orElse(null);
        if (failure != null) {
            return new Merged(spec.name(), "failed", failure.message(), new LaneStats(0, Double.NaN, 0, Map.of(),
                    Map.of(), new double[0], 0, Map.of()), Map.of(), null, new double[0], List.of());
        }
        FlowModel model = model(spec.modelOr(p.model()), null);
        PromptSet prompts = PromptSet.parse(p.prompt(), model);
        QualityEvaluator quality = Metrics.forLane(model, prompts.cycle(), p.referenceStats(), 0);
        LatencyTracker latency = new LatencyTracker();
        long images = 0;
        long nfe = 0;
        double busy = 0;
        double wall = 0;
        Map<String, Long> cost = new LinkedHashMap<>();
        double[] kept = new double[0];
        // quality vs N at each shard's end (the streaming FID, as a run's chart has it after each batch)
        List<Map<String, Double>> history = new ArrayList<>();
        for (Result r : sorted) {
            quality.merge(r.quality());
            Map<String, Double> point = new LinkedHashMap<>();
            point.put("images", (double) r.key().to());
            quality.quick().forEach((k, v) -> {
                if (LaneResult.HISTORY_METRICS.contains(k)) {
                    point.put(k, v);
                }
            });
            if (point.size() > 1) {
                history.add(point);
            }
            for (int k = 0; k < r.batchImages().length; k++) {
                latency.add(r.batchImages()[k], r.batchNanos()[k], r.batchNfe()[k]);
            }
            images += r.images();
            nfe += r.nfe();
            busy += r.busySeconds();
            wall += r.wallSeconds();
            r.cost().forEach((k, v) -> cost.merge(k, v, Long::sum));
            if (r.kept().length > 0) {
                int at = kept.length;
                kept = Arrays.copyOf(kept, at + r.kept().length);
                System.arraycopy(r.kept(), 0, kept, at, r.kept().length);
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>(quality.computeFinal());
        Map<String, Double> perImage = new LinkedHashMap<>();
        long n = images;
        cost.forEach((k, v) -> perImage.put(k, n == 0 ? Double.NaN : v / (double) n));
        LaneStats stats = new LaneStats(images, images == 0 ? Double.NaN : nfe / (double) images, busy, figures,
                latency.summary(), quality instanceof AnalyticQuality a ? a.fractions() : new double[0], 0, perImage);
        Map<String, Object> record;
        try {
            record = Json.MAPPER.readValue(sorted.get(0).identityJson(),
                    new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the identity of the first call (as a single run keeps it), the totals of every call
        record.put("images", images);
        Map<String, Double> costPerImage = new LinkedHashMap<>();
        cost.forEach((k, v) -> costPerImage.put(k, n == 0 ? 0.0 : v / (double) n));
        record.put("cost", costPerImage);
        record.put("wallSeconds", wall);
        return new Merged(spec.name(), "done", null, stats, record, quality.kidSums(), kept, history);
    }

    /** The results of the lanes of one run (one seed, one grid point), ranked by KID as a run ranks them. */
    public static List<LaneResult> results(List<Merged> lanes) {
        List<QualityEvaluator.KidSums> sums = lanes.stream().map(m -> "failed".equals(m.status()) ? null : m.kid())
                .toList();
        List<Map<String, Double>> ranks = KidRanks.of(sums);
        List<LaneResult> out = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            Merged m = lanes.get(i);
            LaneStats s = m.stats();
            Map<String, Double> q = new LinkedHashMap<>(s.quality());
            q.putAll(ranks.get(i));
            LaneStats ranked = new LaneStats(s.images(), s.nfePerImage(), s.busySeconds(), q, s.latency(),
                    s.modeFractions(), s.previewOverheadMs(), s.costPerImage());
            out.add(new LaneResult(m.lane(), m.status(), m.message(), s.images(), ranked.toMetrics(), m.record(),
                    m.history()));
        }
        return out;
    }
}
