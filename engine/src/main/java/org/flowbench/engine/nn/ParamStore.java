package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Safetensors;

/**
 * Named float32 parameters held on the Java heap, in a fixed order. This is the master copy that the trainer
 * updates; a step or a loaded model turns it into NDArrays with {@link #materialize}. Keeping the master copy here
 * means no parameter or gradient tensor is ever overwritten in place on the native side.
 */
public final class ParamStore {
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    public ParamStore() {}

    /** A deep copy. */
    public ParamStore copy() {
        ParamStore c = new ParamStore();
        for (String n : names()) {
            c.put(n, shapes.get(n).clone(), values.get(n).clone());
        }
        return c;
    }

    public void put(String name, int[] shape, float[] data) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " vs " + data.length);
        }
        shapes.put(name, shape);
        values.put(name, data);
    }

    /** Uniform(−b, b) with b = scale/√fanIn (PyTorch's default layer init for scale 1). */
    public void uniform(String name, int[] shape, int fanIn, double scale, SplittableRandom rng) {
        float[] d = new float[size(shape)];
        double b = scale / Math.sqrt(fanIn);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((rng.nextDouble() * 2 - 1) * b);
        }
        put(name, shape, d);
    }

    public void constant(String name, int[] shape, float v) {
        float[] d = new float[size(shape)];
        Arrays.fill(d, v);
        put(name, shape, d);
    }

    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }

    public int[] shape(String name) {
        return shapes.get(name);
    }

    public Map<String, int[]> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    public long count() {
        long c = 0;
        for (float[] v : values.values()) {
            c += v.length;
        }
        return c;
    }

    /** NDArrays of every parameter in {@code manager}; with {@code grad} they record gradients. */
    public NDParams materialize(NDManager manager, boolean grad) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            NDArray a = manager.create(e.getValue(), toShape(shapes.get(e.getKey())));
            if (grad) {
                a.setRequiresGradient(true);
            }
            out.put(e.getKey(), a);
        }
        return new NDParams(out);
    }

    /** As safetensors tensors, names prefixed by {@code prefix}. */
    public Map<String, Safetensors.Tensor> toTensors(String prefix) {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (String n : names()) {
            out.put(prefix + n, new Safetensors.Tensor(shapes.get(n), values.get(n)));
        }
        return out;
    }

    /**
     * Takes values for every parameter of {@code this} from {@code tensors} (names with {@code prefix}); a missing
     * tensor or a shape mismatch is one error naming the first problem.
     */
    public void load(Map<String, Safetensors.Tensor> tensors, String prefix, String what) {
        for (String n : names()) {
            Safetensors.Tensor t = tensors.get(prefix + n);
            if (t == null) {
                throw new FlowbenchException(what + " lacks tensor " + prefix + n,
                        "the weights do not belong to this architecture");
            }
            if (!Arrays.equals(t.shape(), shapes.get(n))) {
                throw new FlowbenchException(what + ": tensor " + prefix + n + " has shape " + Arrays.toString(t.shape())
                        + ", the architecture needs " + Arrays.toString(shapes.get(n)),
                        "the weights do not belong to this architecture");
            }
            values.put(n, t.data().clone());
        }
    }

    public static int size(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    static Shape toShape(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return new Shape(l);
    }
}
