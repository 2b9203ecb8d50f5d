package org.flowbench.samplers.boss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bellman-optimal step schedule: K + 1 times, their fine-grid indices and the DP objective, for one
 * (model hash, K, fine, cost samples, cost seed, conditioning). The conditioning is the run's cycle of class labels
 * (cost sample m follows the path of class {@code conditioning[m mod length]}; {−1}: unconditional), so a prompted
 * run gets the schedule of the paths it will follow. Schedules are cached on disk under
 * {@code <cache>/boss/} where {@code <cache>} is the system property {@code flowbench.cache} or
 * {@code ~/.cache/flowbench}; cost matrices are also kept in memory for the life of the process, so schedules for
 * several K share one matrix. The feature objective's matrices ({@link BossCost.Objective#features}, about N/2 times
 * the field evaluations of the reference's) are cached on disk as well, and its schedules are told apart by a tag
 * naming the feature network.
 */
public record BossSchedule(String modelHash, int steps, int fine, int costSamples, long costSeed, double[] times,
                           int[] indices, double objective, boolean fromCache) {
    private static final Logger LOG = LoggerFactory.getLogger(BossSchedule.class);
    private static final Map<String, CostMatrix> MATRICES = new ConcurrentHashMap<>();
    private static final Map<String, BossSchedule> SCHEDULES = new ConcurrentHashMap<>();

    /** The cache folder: {@code flowbench.cache} or {@code ~/.cache/flowbench}. */
    public static Path cacheRoot() {
        String p = System.getProperty("flowbench.cache");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "flowbench");
    }

    static Path file(String hash, int steps, int fine, int samples, long seed) {
        // "schedule2": cost noise from its own stream (BossCost.NOISE_STREAM); older files were fitted on stream 0
        return cacheRoot().resolve("boss").resolve("schedule2-" + hash + "-K" + steps + "-N" + fine + "-M" + samples
                + "-seed" + seed + ".json");
    }

    /** The unconditional cost matrix for (model, fine, samples, seed), computed once per process. */
    public static CostMatrix costMatrix(FlowModel model, int fine, int samples, long seed, CancellationToken cancel) {
        return costMatrix(model, fine, samples, seed, null, ProgressListener.NONE, cancel);
    }

    /** The cost matrix under a conditioning cycle, reporting the fine steps of a computation on {@code progress}. */
    public static CostMatrix costMatrix(FlowModel model, int fine, int samples, long seed, int[] conditioning,
                                        ProgressListener progress, CancellationToken cancel) {
        return costMatrix(model, fine, samples, seed, conditioning, BossCost.Objective.STATE_L2, progress, cancel);
    }

    /** The cost matrix of an objective under a conditioning cycle (in memory, on disk for the feature objective). */
    public static CostMatrix costMatrix(FlowModel model, int fine, int samples, long seed, int[] conditioning,
                                        BossCost.Objective objective, ProgressListener progress,
                                        CancellationToken cancel) {
        int[] cycle = normalise(conditioning);
        String hash = identity(model) + conditioningTag(cycle) + objective.tag();
        String key = hash + "/" + fine + "/" + samples + "/" + seed;
        CostMatrix c = MATRICES.get(key);
        Path file = cacheRoot().resolve("boss").resolve("matrix-" + hash + "-N" + fine + "-M" + samples + "-seed"
                + seed + ".json");
        boolean onDisk = objective.features() != null;
        if (c == null && onDisk) {
            c = readMatrix(file, hash, fine, samples, seed);
        }
        if (c == null) {
            long t0 = System.nanoTime();
            int[] labels = new int[samples];
            for (int m = 0; m < samples; m++) {
                labels[m] = cycle[m % cycle.length];
            }
            c = BossCost.compute(model, fine, samples, seed, labels, objective, progress, cancel);
            long evaluations = (long) samples * (fine + (onDisk ? BossCost.featureRowEvaluations(fine, fine) : 0));
            LOG.info("BOSS cost matrix ({}) for {} (N = {}, M = {}): {} field evaluations in {} ms", objective.name(),
                    model.id(), fine, samples, evaluations, (System.nanoTime() - t0) / 1_000_000);
            if (onDisk) {
                writeMatrix(file, hash, fine, samples, seed, c);
            }
        }
        MATRICES.put(key, c);
        return c;
    }

    /** The schedule from memory, the disk cache, or computed (and then written to the cache). */
    public static BossSchedule get(FlowModel model, int steps, int fine, int samples, long seed,
                                   CancellationToken cancel) {
        return get(model, steps, fine, samples, seed, null, ProgressListener.NONE, cancel);
    }

    /**
     * The schedule under a run's conditioning (null or {−1}: unconditional), reporting the progress of a cost-matrix
     * computation and honouring cancel during it.
     */
    public static BossSchedule get(FlowModel model, int steps, int fine, int samples, long seed, int[] conditioning,
                                   ProgressListener progress, CancellationToken cancel) {
        return get(model, steps, fine, samples, seed, conditioning, BossCost.Objective.STATE_L2, progress, cancel);
    }

    /** The schedule of a cost objective under a run's conditioning. */
    public static BossSchedule get(FlowModel model, int steps, int fine, int samples, long seed, int[] conditioning,
                                   BossCost.Objective objective, ProgressListener progress, CancellationToken cancel) {
        int[] cycle = normalise(conditioning);
        // unconditional L2 schedules keep their key (and cache files); others are told apart by cycle and objective
        String hash = identity(model) + conditioningTag(cycle) + objective.tag();
        String key = hash + "/" + steps + "/" + fine + "/" + samples + "/" + seed;
        BossSchedule s = SCHEDULES.get(key);
        if (s != null) {
            return s;
        }
        Path f = file(hash, steps, fine, samples, seed);
        s = read(f, hash, steps, fine, samples, seed);
        if (s == null) {
            CostMatrix c = costMatrix(model, fine, samples, seed, cycle, objective, progress, cancel);
            BellmanDp.Result r = BellmanDp.solve(c, steps);
            double[] grid = BossCost.fineGrid(model.path(), fine);
            double[] times = new double[r.path().length];
            for (int i = 0; i < times.length; i++) {
                times[i] = grid[r.path()[i]];
            }
            s = new BossSchedule(hash, steps, fine, samples, seed, times, r.path(), r.objective(), false);
            write(f, s);
        }
        SCHEDULES.put(key, s);
        return s;
    }

    /**
     * What a schedule belongs to: the weights' hash, and for a classifier-free-guided model also its guidance (a
     * guided model shares its base's hash, but its field, and so its schedule, differs with the weight).
     */
    static String identity(FlowModel model) {
        if (!model.guided()) {
            return model.hash();
        }
        return model.hash() + "-guided" + org.flowbench.engine.model.pkg.ModelPackage.sha256(
                model.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** {−1} for no conditioning or an all-unconditional one; the cycle otherwise. */
    static int[] normalise(int[] conditioning) {
        if (conditioning == null || java.util.Arrays.stream(conditioning).allMatch(l -> l < 0)) {
            return new int[] {FlowModel.UNCONDITIONAL};
        }
        return conditioning.clone();
    }

    /** "" for unconditional (the historical key), else a tag naming the cycle. */
    static String conditioningTag(int[] cycle) {
        if (cycle.length == 1 && cycle[0] < 0) {
            return "";
        }
        return "-cond" + org.flowbench.engine.model.pkg.ModelPackage.sha256(
                java.util.Arrays.toString(cycle).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** Forgets the in-memory caches (tests). */
    public static void clearMemory() {
        MATRICES.clear();
        SCHEDULES.clear();
    }

    private static BossSchedule read(Path f, String hash, int steps, int fine, int samples, long seed) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(f));
            if (!hash.equals(n.path("modelHash").asText()) || n.path("steps").asInt() != steps
                    || n.path("fine").asInt() != fine || n.path("costSamples").asInt() != samples
                    || n.path("costSeed").asLong() != seed) {
                return null;
            }
            JsonNode t = n.get("times");
            JsonNode ix = n.get("indices");
            if (t == null || ix == null || t.size() != steps + 1 || ix.size() != steps + 1) {
                return null;
            }
            double[] times = new double[steps + 1];
            int[] idx = new int[steps + 1];
            for (int i = 0; i <= steps; i++) {
                times[i] = t.get(i).asDouble();
                idx[i] = ix.get(i).asInt();
            }
            return new BossSchedule(hash, steps, fine, samples, seed, times, idx, n.path("objective").asDouble(), true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable BOSS schedule cache {}: {}", f, e.toString());
            return null;
        }
    }

    private static CostMatrix readMatrix(Path f, String hash, int fine, int samples, long seed) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(f));
            JsonNode p = n.get("packed");
            if (!hash.equals(n.path("key").asText()) || n.path("fine").asInt() != fine
                    || n.path("costSamples").asInt() != samples || n.path("costSeed").asLong() != seed || p == null
                    || p.size() != fine * (fine + 1) / 2) {
                return null;
            }
            double[] packed = new double[p.size()];
            for (int i = 0; i < packed.length; i++) {
                packed[i] = p.get(i).asDouble();
            }
            return new CostMatrix(fine + 1, packed);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable BOSS cost matrix cache {}: {}", f, e.toString());
            return null;
        }
    }

    private static void writeMatrix(Path f, String hash, int fine, int samples, long seed, CostMatrix c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("key", hash);
        o.put("fine", fine);
        o.put("costSamples", samples);
        o.put("costSeed", seed);
        ArrayNode p = o.putArray("packed");
        for (double v : c.packed()) {
            p.add(v);
        }
        try {
            Files.createDirectories(f.getParent());
            AtomicFiles.write(f, Json.MAPPER.writeValueAsBytes(o));
        } catch (IOException e) {
            LOG.warn("cannot write the BOSS cost matrix cache {}: {}", f, e.toString());
        }
    }

    private static void write(Path f, BossSchedule s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("modelHash", s.modelHash);
        o.put("steps", s.steps);
        o.put("fine", s.fine);
        o.put("costSamples", s.costSamples);
        o.put("costSeed", s.costSeed);
        ArrayNode t = o.putArray("times");
        for (double v : s.times) {
            t.add(v);
        }
        ArrayNode ix = o.putArray("indices");
        for (int v : s.indices) {
            ix.add(v);
        }
        o.put("objective", s.objective);
        try {
            Files.createDirectories(f.getParent());
            AtomicFiles.write(f, Json.MAPPER.writeValueAsBytes(o));
        } catch (IOException e) {
            LOG.warn("cannot write the BOSS schedule cache {}: {}", f, e.toString());
        }
    }
}
