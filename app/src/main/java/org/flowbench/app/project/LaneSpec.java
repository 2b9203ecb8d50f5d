package org.flowbench.app.project;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One lane of a comparison: a display name, a sampler id and its parameters by name (as text, exactly what the
 * user typed or the default). Parameters the user did not set take the sampler's defaults at run time.
 */
public record LaneSpec(String name, String sampler, Map<String, String> params) {
    public LaneSpec {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public LaneSpec withName(String newName) {
        return new LaneSpec(newName, sampler, params);
    }

    /** A short label such as "euler steps=8". */
    public String summary() {
        StringBuilder sb = new StringBuilder(sampler);
        params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
