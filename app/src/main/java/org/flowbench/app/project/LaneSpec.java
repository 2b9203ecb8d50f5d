package org.flowbench.app.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One lane of a comparison: a display name, a sampler id, its parameters by name (as text; a saved project holds
 * every resolved parameter, defaults included, so that a later default cannot change what it means), the sampler's
 * version they were resolved for, and optionally a model of its own (null: the project's model), so that one project
 * can compare a teacher with its students.
 */
public record LaneSpec(String name, String sampler, Map<String, String> params,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String model,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String samplerVersion) {
    public LaneSpec {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        model = model == null || model.isBlank() ? null : model;
    }

    /** A lane on the project's model, parameters not yet resolved. */
    public LaneSpec(String name, String sampler, Map<String, String> params) {
        this(name, sampler, params, null, null);
    }

    public LaneSpec withName(String newName) {
        return new LaneSpec(newName, sampler, params, model, samplerVersion);
    }

    public LaneSpec withModel(String newModel) {
        return new LaneSpec(name, sampler, params, newModel, samplerVersion);
    }

    /** The model this lane samples: its own, or the project's. */
    public String modelOr(String projectModel) {
        return model == null ? projectModel : model;
    }

    /** A short label such as "euler steps=8". */
    public String summary() {
        StringBuilder sb = new StringBuilder(sampler);
        params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        if (model != null) {
            sb.append(" on ").append(model);
        }
        return sb.toString();
    }
}
