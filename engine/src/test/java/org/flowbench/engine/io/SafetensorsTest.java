package org.flowbench.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsOrderShapesValuesAndMetadata() throws Exception {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("b.weight", new Safetensors.Tensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, 7}));
        t.put("a", new Safetensors.Tensor(new int[] {1}, new float[] {42}));
        t.put("scalar", new Safetensors.Tensor(new int[] {}, new float[] {-0.25f}));
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, t, Map.of("step", "12"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(java.util.List.of("b.weight", "a", "scalar"), java.util.List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("b.weight").shape());
        assertArrayEquals(t.get("b.weight").data(), c.tensors().get("b.weight").data());
        assertArrayEquals(new float[] {-0.25f}, c.tensors().get("scalar").data());
        assertEquals("12", c.metadata().get("step"));
    }

    @Test
    void layoutMatchesTheSpecification() {
        byte[] b = Safetensors.encode(Map.of("x", new Safetensors.Tensor(new int[] {2}, new float[] {1f, 2f})), null);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(b, 8, (int) n).trim();
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(1f, bb.getFloat((int) (8 + n)));
        assertEquals(2f, bb.getFloat((int) (12 + n)));
    }

    @Test
    void corruptFilesAreOneClearError() {
        byte[] b = Safetensors.encode(Map.of("x", new Safetensors.Tensor(new int[] {2}, new float[] {1f, 2f})), null);
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 4);
        assertThrows(FlowbenchException.class, () -> Safetensors.decode(cut, "cut"));
        byte[] junk = new byte[12];
        junk[0] = 100;
        assertThrows(FlowbenchException.class, () -> Safetensors.decode(junk, "junk"));
    }
}
