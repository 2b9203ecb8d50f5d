package org.flowbench.engine.nn;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX inference graph built in memory and serialised to the ONNX protobuf format (opset 17), so that a built-in
 * network can be handed to ONNX Runtime straight from its weights: no exporter, no file, the weights stay the source
 * of truth. Only what the built-in networks use is here: float32 and int64 tensors, float and int attributes, and
 * inputs with a symbolic batch dimension.
 */
public final class OnnxGraph {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    /** A float32 constant (weights, shapes of affine parameters). */
    public String constant(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, FLOAT, b.array()));
        return name;
    }

    /** An int64 constant (reshape targets, scales). */
    public String constant(String name, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        initializers.add(tensor(name, new long[] {values.length}, INT64, b.array()));
        return name;
    }

    /** A float32 input whose first dimension is the batch ({@code n}); other dims fixed. */
    public String floatInput(String name, long... restDims) {
        inputs.add(valueInfo(name, FLOAT, restDims));
        return name;
    }

    /** An int64 input of shape [n]. */
    public String int64Input(String name) {
        inputs.add(valueInfo(name, INT64));
        return name;
    }

    /** Declares a float32 graph output with a batch first dimension. */
    public void floatOutput(String name, long... restDims) {
        outputs.add(valueInfo(name, FLOAT, restDims));
    }

    /** Adds a node with a fresh output name and returns that name. */
    public String op(String type, Attr[] attrs, String... in) {
        String out = type.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++);
        opTo(out, type, attrs, in);
        return out;
    }

    public String op(String type, String... in) {
        return op(type, new Attr[0], in);
    }

    /** Adds a node that writes the named output (a graph output). */
    public void opTo(String out, String type, Attr[] attrs, String... in) {
        Proto p = new Proto();
        for (String i : in) {
            p.string(1, i);
        }
        p.string(2, out);
        p.string(3, out);
        p.string(4, type);
        for (Attr a : attrs) {
            p.message(5, a.proto());
        }
        nodes.add(p.bytes());
    }

    /** The ONNX model (IR version 8, default domain opset 17). */
    public byte[] toBytes(String producer) {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, "flowbench");
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(v -> graph.message(11, v));
        outputs.forEach(v -> graph.message(12, v));
        Proto opset = new Proto();
        opset.string(1, "");
        opset.varint(2, 17);
        Proto model = new Proto();
        model.varint(1, 8);
        model.string(2, producer);
        model.message(7, graph.bytes());
        model.message(8, opset.bytes());
        return model.bytes();
    }

    private static byte[] tensor(String name, long[] dims, int type, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type);
        t.string(8, name);
        t.bytes(9, raw);
        return t.bytes();
    }

    private static byte[] valueInfo(String name, int elemType, long... restDims) {
        Proto shape = new Proto();
        shape.message(1, new Proto().string(2, "n").bytes());
        for (long d : restDims) {
            shape.message(1, new Proto().varint(1, d).bytes());
        }
        Proto tensorType = new Proto();
        tensorType.varint(1, elemType);
        tensorType.message(2, shape.bytes());
        Proto type = new Proto();
        type.message(1, tensorType.bytes());
        Proto v = new Proto();
        v.string(1, name);
        v.message(2, type.bytes());
        return v.bytes();
    }

    /** A node attribute. */
    public record Attr(String name, Object value) {
        public static Attr i(String name, long v) {
            return new Attr(name, v);
        }

        public static Attr f(String name, float v) {
            return new Attr(name, v);
        }

        public static Attr ints(String name, long... v) {
            return new Attr(name, v);
        }

        public static Attr s(String name, String v) {
            return new Attr(name, v);
        }

        byte[] proto() {
            Proto p = new Proto();
            p.string(1, name);
            if (value instanceof Float f) {
                p.fixed32(2, Float.floatToRawIntBits(f));
                p.varint(20, 1);
            } else if (value instanceof Long l) {
                p.varint(3, l);
                p.varint(20, 2);
            } else if (value instanceof String s) {
                p.bytes(4, s.getBytes(StandardCharsets.UTF_8));
                p.varint(20, 3);
            } else if (value instanceof long[] ls) {
                for (long l : ls) {
                    p.varint(8, l);
                }
                p.varint(20, 7);
            } else {
                throw new IllegalArgumentException("attribute " + name + ": " + value);
            }
            return p.bytes();
        }
    }

    /** The protobuf wire format, the few field kinds ONNX needs. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            raw(((long) field << 3));
            raw(v);
            return this;
        }

        Proto fixed32(int field, int v) {
            raw(((long) field << 3) | 5);
            for (int k = 0; k < 4; k++) {
                out.write((v >>> (8 * k)) & 0xff);
            }
            return this;
        }

        Proto bytes(int field, byte[] b) {
            raw(((long) field << 3) | 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, byte[] m) {
            return bytes(field, m);
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
