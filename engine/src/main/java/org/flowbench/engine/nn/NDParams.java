package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parameters as NDArrays, by name (one step's or one loaded model's). Arrays derived from a parameter alone (a
 * reshaped norm scale) are cached here: they live in the parameter's manager, so computing them on every call of a
 * long-lived model would pile them up there.
 */
public final class NDParams {
    private final Map<String, NDArray> arrays;
    private final Map<String, NDArray> derived = new ConcurrentHashMap<>();

    public NDParams(Map<String, NDArray> arrays) {
        this.arrays = arrays;
    }

    public Map<String, NDArray> arrays() {
        return arrays;
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return a;
    }

    /** Parameter {@code name} reshaped to {@code shape}, computed once. */
    public NDArray reshaped(String name, long... shape) {
        String key = name + java.util.Arrays.toString(shape);
        NDArray a = derived.get(key);
        if (a == null) {
            a = get(name).reshape(shape);
            derived.put(key, a);
        }
        return a;
    }
}
