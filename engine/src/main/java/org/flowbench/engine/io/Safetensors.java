package org.flowbench.engine.io;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header (name → dtype, shape, data_offsets;
 * optional {@code __metadata__} of string pairs), then the raw little-endian tensor bytes. Only F32 tensors are
 * written; F32 and F64 are read (as float32 values).
 */
public final class Safetensors {
    private Safetensors() {}

    /** One float32 tensor. */
    public record Tensor(int[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                        + data.length);
            }
        }
    }

    /** Tensors in file order plus the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().data().length;
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("dtype", "F32");
            h.put("shape", e.getValue().shape());
            h.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), h);
            offset += bytes;
        }
        byte[] json;
        try {
            json = Json.COMPACT.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int pad = (8 - json.length % 8) % 8;
        int hlen = json.length + pad;
        if (8L + hlen + offset > Integer.MAX_VALUE) {
            throw new FlowbenchException("tensors too large for one safetensors file");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + hlen + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(hlen);
        buf.put(json);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            buf.asFloatBuffer().put(t.data());
            buf.position(buf.position() + 4 * t.data().length);
        }
        return buf.array();
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] bytes = encode(tensors, metadata);
        AtomicFiles.write(file, out -> out.write(bytes), true);
    }

    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + file + ": " + e.getMessage(), null, e);
        }
        return decode(bytes, file.toString());
    }

    public static Contents decode(byte[] bytes, String what) {
        if (bytes.length < 8) {
            throw bad(what, "file is shorter than its 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long hlen = buf.getLong();
        if (hlen < 2 || hlen > bytes.length - 8) {
            throw bad(what, "header length " + hlen + " does not fit the file of " + bytes.length + " bytes");
        }
        Map<String, Object> header;
        try {
            header = Json.MAPPER.readValue(new String(bytes, 8, (int) hlen, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw bad(what, "header is not JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        long dataStart = 8 + hlen;
        long dataLen = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> h)) {
                throw bad(what, "entry " + e.getKey() + " is not an object");
            }
            String dtype = String.valueOf(h.get("dtype"));
            int elem = switch (dtype) {
                case "F32" -> 4;
                case "F64" -> 8;
                default -> throw bad(what, "tensor " + e.getKey() + " has dtype " + dtype + "; only F32 and F64 are read");
            };
            List<?> shapeList = (List<?>) h.get("shape");
            List<?> offs = (List<?>) h.get("data_offsets");
            if (shapeList == null || offs == null || offs.size() != 2) {
                throw bad(what, "tensor " + e.getKey() + " lacks shape or data_offsets");
            }
            int[] shape = new int[shapeList.size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = ((Number) shapeList.get(i)).intValue();
                if (shape[i] < 0) {
                    throw bad(what, "tensor " + e.getKey() + " has a negative dimension");
                }
                n *= shape[i];
            }
            long a = ((Number) offs.get(0)).longValue();
            long b = ((Number) offs.get(1)).longValue();
            if (a < 0 || b < a || b > dataLen || b - a != n * elem) {
                throw bad(what, "tensor " + e.getKey() + " has offsets [" + a + ", " + b + ") that do not match shape "
                        + Arrays.toString(shape) + " " + dtype + " within " + dataLen + " data bytes");
            }
            float[] data = new float[(int) n];
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + a), (int) (b - a)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (elem == 4) {
                slice.asFloatBuffer().get(data);
            } else {
                for (int i = 0; i < n; i++) {
                    data[i] = (float) slice.getDouble(8 * i);
                }
            }
            tensors.put(e.getKey(), new Tensor(shape, data));
        }
        return new Contents(tensors, metadata);
    }

    private static FlowbenchException bad(String what, String why) {
        return new FlowbenchException("not a valid safetensors file " + what + ": " + why);
    }
}
