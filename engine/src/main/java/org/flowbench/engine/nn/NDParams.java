package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Parameters as NDArrays, by name (one step's or one loaded model's). */
public record NDParams(Map<String, NDArray> arrays) {
    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return a;
    }
}
