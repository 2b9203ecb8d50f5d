package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "nothing lost": an output may not be an input, two outputs may not be one file, a project is never a side
 * output, and an unwritable output folder is refused before any compute. Each refusal is rc 2 with one line, and the
 * files that were there are byte-for-byte unchanged.
 */
class InputsAreNotOutputsTest {
    @TempDir
    Path dir;

    @Test
    void sampleNeverOverwritesItsModelSpecOrItsOwnSamples() throws Exception {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"rectified-flow\",\"weights\":[1],"
                + "\"means\":[[1,0]],\"stds\":[1]}");
        byte[] before = Files.readAllBytes(spec);
        String[] r = CliTests.run("sample", "--model", spec.toString(), "--n", "3", "--quiet", "--out",
                dir.resolve("x.npy").toString(), "--manifest", spec.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--manifest " + spec + " would overwrite the input --model"), r[2]);
        assertArrayEquals(before, Files.readAllBytes(spec));

        Path x = dir.resolve("x.npy");
        Npy.writeFloat32(x, new int[] {1, 2}, new double[] {1, 2});
        byte[] samples = Files.readAllBytes(x);
        String[] same = CliTests.run("sample", "--model", spec.toString(), "--n", "3", "--quiet", "--out", x.toString(),
                "--manifest", dir.resolve(".").resolve("x.npy").toString());
        assertEquals("2", same[0], same[2]);
        assertTrue(same[2].contains("are the same file"), same[2]);
        assertArrayEquals(samples, Files.readAllBytes(x));

        // a package folder is an input too: nothing may be written into it
        String[] into = CliTests.run("sample", "--model", "../models/fashion-classifier", "--n", "1", "--quiet", "--out",
                "../models/fashion-classifier/x.npy");
        assertEquals("2", into[0], into[2]);
        assertTrue(Files.notExists(Path.of("../models/fashion-classifier/x.npy")));
    }

    @Test
    void statsNeverOverwritesItsInputOrAProject() throws Exception {
        Path b = dir.resolve("b.npy");
        Npy.writeFloat32(b, new int[] {3, 2}, new double[] {1, 2, 3, 4, 5, 7});
        byte[] before = Files.readAllBytes(b);
        String[] r = CliTests.run("stats", "--in", b.toString(), "--features", "identity", "--out", b.toString());
        assertEquals("2", r[0], r[2]);
        assertArrayEquals(before, Files.readAllBytes(b));

        Path project = dir.resolve("p.flowbench");
        Files.writeString(project, "{\"schemaVersion\": 2}");
        byte[] p = Files.readAllBytes(project);
        String[] s = CliTests.run("stats", "--in", b.toString(), "--features", "identity", "--out", project.toString());
        assertEquals("2", s[0], s[2]);
        assertTrue(s[2].contains("is a project file"), s[2]);
        assertArrayEquals(p, Files.readAllBytes(project));
    }

    @Test
    void unwritableOutputFoldersAreRefusedBeforeComputing() throws Exception {
        // a regular file where a folder is needed
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        String[] r = CliTests.run("sample", "--model", "builtin:2modes", "--n", "3", "--quiet", "--out",
                file.resolve("x.npy").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("cannot write into"), r[2]);
        Path locked = dir.resolve("locked");
        Files.createDirectories(locked);
        locked.toFile().setWritable(false);
        try {
            if (Files.isWritable(locked)) {
                return; // running as root: folder permissions do not apply to this process
            }
            long t0 = System.nanoTime();
            String[] l = CliTests.run("sample", "--model", "builtin:2modes", "--n", "100000", "--quiet", "--out",
                    locked.resolve("x.npy").toString());
            assertEquals("2", l[0], l[2]);
            assertTrue(l[2].contains("cannot write into"), l[2]);
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused before sampling");
        } finally {
            locked.toFile().setWritable(true);
        }
    }

    /** Absurd sizes are refused in one line before any compute: n ≤ 0, n beyond the heap (with the estimate). */
    @Test
    void absurdSampleCountsAreRefusedUpFront() throws Exception {
        for (String n : new String[] {"0", "-1"}) {
            String[] r = CliTests.run("sample", "--model", "builtin:2modes", "--n", n, "--quiet", "--out",
                    dir.resolve("x.npy").toString());
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].contains("at least 1"), r[2]);
        }
        long t0 = System.nanoTime();
        String[] r = CliTests.run("sample", "--model", "builtin:fashion-flow", "--n", "1000000000", "--quiet", "--out",
                dir.resolve("x.npy").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("GiB"), r[2]);
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "refused before sampling");
        Path project = dir.resolve("huge.flowbench");
        Files.writeString(project, "{\"schemaVersion\": 2, \"name\": \"huge\", \"model\": \"builtin:fashion-flow\", "
                + "\"n\": 1000000000, \"batch\": 64, \"seed\": 0, \"lanes\": [{\"name\": \"e\", \"sampler\": \"euler\", "
                + "\"params\": {}}]}");
        String[] run = CliTests.run("run", project.toString(), "--quiet", "--out", dir.resolve("huge-out").toString());
        assertEquals("2", run[0], run[2]);
        assertTrue(run[2].contains("GiB"), run[2]);
        assertTrue(Files.notExists(dir.resolve("huge-out")), "nothing written");
    }
}
