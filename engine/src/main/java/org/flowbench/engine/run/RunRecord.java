package org.flowbench.engine.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of what ran in one lane (or one command): made from the manifests of its sampling calls, never from the
 * state of a window. It keeps the identity of the run (model id and hash, sampler id and version, every resolved
 * parameter, seed, device, dtype, engine, app version, the method's diagnostics) from the first call, and adds up
 * what the calls cost: images, the cost ledger and the sampling wall time.
 */
public final class RunRecord {
    /** Manifest keys that describe one call rather than the run. */
    private static final Set<String> PER_CALL = Set.of("firstImage", "n", "batch", "labels", "cost", "wallSeconds");

    private final Map<String, Object> identity = new LinkedHashMap<>();
    private final Map<String, Long> cost = new LinkedHashMap<>();
    private long images;
    private double wallSeconds;

    /** Adds one call's result. */
    public synchronized RunRecord add(SampleBatch b) {
        if (identity.isEmpty()) {
            for (Map.Entry<String, Object> e : b.manifest().entries().entrySet()) {
                if (!PER_CALL.contains(e.getKey())) {
                    identity.put(e.getKey(), e.getValue());
                }
            }
        }
        images += b.count();
        b.cost().totals().forEach((k, v) -> cost.merge(k, v, Long::sum));
        Object w = b.manifest().get("wallSeconds");
        if (w instanceof Number n) {
            wallSeconds += n.doubleValue();
        }
        return this;
    }

    /** The cost ledger's totals over every call so far, by counter. */
    public synchronized Map<String, Long> costTotals() {
        return new LinkedHashMap<>(cost);
    }

    /** The sampling wall time of every call so far. */
    public synchronized double wallSeconds() {
        return wallSeconds;
    }

    public synchronized boolean isEmpty() {
        return images == 0;
    }

    /** The record as JSON-friendly values, with {@code extra} entries (prompt, lane, status) after the identity. */
    public synchronized Map<String, Object> toMap(Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>(identity);
        m.putAll(extra);
        m.put("images", images);
        Map<String, Double> perImage = new LinkedHashMap<>();
        cost.forEach((k, v) -> perImage.put(k, images == 0 ? 0.0 : v / (double) images));
        m.put("cost", perImage);
        m.put("wallSeconds", wallSeconds);
        return m;
    }

    /** The recipe of one image of the run: the record plus the image's index (and its class, when known). */
    public static Map<String, Object> forImage(Map<String, Object> record, long index) {
        Map<String, Object> m = new LinkedHashMap<>(record);
        m.put("image", index);
        return m;
    }

    /** Keys every record carries (checked by tests). */
    public static final List<String> REQUIRED = List.of("model", "modelHash", "sampler", "samplerVersion", "params",
            "seed", "device", "dtype", "engine", "appVersion", "images", "cost", "wallSeconds");
}
