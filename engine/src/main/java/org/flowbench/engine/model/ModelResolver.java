package org.flowbench.engine.model;

import java.util.List;

/** Turns a model reference (builtin:NAME, a folder, a file) into a model; returns null if it is not its kind. */
public interface ModelResolver {
    FlowModel open(String ref);

    /** Built-in names this resolver offers, for {@code flowbench models} and the model picker. */
    default List<ModelInfo> builtins() {
        return List.of();
    }

    /** A line in the model list. */
    record ModelInfo(String ref, String kind, String description) {}
}
