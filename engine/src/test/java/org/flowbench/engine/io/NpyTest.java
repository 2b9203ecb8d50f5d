package org.flowbench.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsFloat32AndFloat64() throws Exception {
        double[] data = {1.5, -2.25, 3e-8, 4, 5, 6};
        Path f = dir.resolve("a.npy");
        Npy.writeFloat32(f, new int[] {2, 3}, data);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertTrue(a.wasFloat32());
        for (int i = 0; i < data.length; i++) {
            assertEquals((float) data[i], a.data()[i]);
        }
        Npy.writeFloat64(f, new int[] {6}, data);
        Npy.Array b = Npy.read(f);
        assertArrayEquals(new int[] {6}, b.shape());
        assertArrayEquals(data, b.data());
        // the header is padded to a multiple of 64 bytes, as NumPy requires
        byte[] bytes = Files.readAllBytes(f);
        int headerLen = (bytes[8] & 0xFF) | ((bytes[9] & 0xFF) << 8);
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(bytes, 10, headerLen, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (6,)"), header);
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        Path f = dir.resolve("bad.npy");
        Files.writeString(f, "not numpy");
        assertThrows(FlowbenchException.class, () -> Npy.read(f));
        assertThrows(FlowbenchException.class, () -> Npy.read(dir.resolve("missing.npy")));
    }

    /** Headers are checked against the file before anything is allocated: one line, never an OOM or a parser trace. */
    @Test
    void hostileHeadersAreRefusedBeforeAllocation() throws Exception {
        Path good = dir.resolve("good.npy");
        Npy.writeFloat32(good, new int[] {2, 3}, new double[6]);
        byte[] bytes = Files.readAllBytes(good);
        String header = new String(bytes, 10, (bytes[8] & 0xFF) | ((bytes[9] & 0xFF) << 8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        String[][] cases = {
            {"(2, 3)", "(200000, 3000)", "header claims 600000000 values"},
            {"(2, 3)", "(99999, 99999)", "array too large"},
            {"(2, 3)", "(-2, -3)", "negative size"},
            {"(2, 3)", "(2, x)", "not a list of sizes"},
            {"(2, 3)", "(2, 4)", "header claims 8 values"},
        };
        for (String[] c : cases) {
            String body = header.replace(c[0], c[1]).stripTrailing(); // same length: take it from the padding
            String h = body + " ".repeat(header.length() - 1 - body.length()) + "\n";
            byte[] b = bytes.clone();
            System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, b, 10, h.length());
            Path f = dir.resolve("hostile.npy");
            Files.write(f, b);
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> Npy.read(f), c[1]);
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
        }
        // truncated data: the size check names it
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> Npy.read(cut));
        assertTrue(e.getMessage().contains("but the file has"), e.getMessage());
    }

    @Test
    void atomicWriteKeepsBackup() throws Exception {
        Path f = dir.resolve("p.json");
        AtomicFiles.write(f, "one".getBytes());
        AtomicFiles.write(f, out -> out.write("two".getBytes()), true);
        assertEquals("two", Files.readString(f));
        assertEquals("one", Files.readString(dir.resolve("p.json.bak")));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp files left behind");
        }
        // readable like any other file, not owner-only like the temp file it came from
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
