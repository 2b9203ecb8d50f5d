package org.flowbench.engine.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to reproduce a run: model id and hash, sampler id and version, every parameter by name, seeds,
 * device, dtype, library and app versions, plus method diagnostics (schedules, ESS, ...). Values are JSON-friendly
 * (strings, numbers, booleans, lists, maps).
 */
public final class RunManifest {
    private final Map<String, Object> entries;

    private RunManifest(Map<String, Object> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Map<String, Object> entries() {
        return entries;
    }

    public Object get(String key) {
        return entries.get(key);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.map.putAll(entries);
        return b;
    }

    /** Keys every sampler's manifest carries (checked by the conformance suite). */
    public static final String[] REQUIRED = {"model", "modelHash", "sampler", "samplerVersion", "params", "seed",
        "firstImage", "n", "device", "dtype", "engine", "appVersion"};

    public static final class Builder {
        private final Map<String, Object> map = new LinkedHashMap<>();

        public Builder put(String key, Object value) {
            map.put(key, value);
            return this;
        }

        public RunManifest build() {
            return new RunManifest(map);
        }
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
