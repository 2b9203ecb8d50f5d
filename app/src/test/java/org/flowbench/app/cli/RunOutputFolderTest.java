package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.flowbench.app.project.OutputFolder;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowbench run --out DIR} writes DIR as one transaction: earlier results are refused without --overwrite and
 * replaced whole with it (no stale lanes), a second run into a locked folder is refused naming the holder, the
 * project is never inside its own results, and a run killed at any moment leaves the old or the new complete results.
 */
class RunOutputFolderTest {
    @TempDir
    Path dir;

    private Path project(String name, int lanes, int n) throws Exception {
        return project(name, lanes, n, "builtin:3modes");
    }

    private Path project(String name, int lanes, int n, String model) throws Exception {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < lanes; i++) {
            l.append(i == 0 ? "" : ",").append("{\"name\": \"Euler ").append(i + 1).append("\", \"sampler\": \"euler\", "
                    + "\"params\": {\"steps\": \"").append(i + 1).append("\"}}");
        }
        Path p = dir.resolve(name);
        Files.writeString(p, "{\"schemaVersion\": 2, \"name\": \"" + name + "\", \"model\": \"" + model + "\", \"n\": "
                + n + ", \"batch\": 50, \"seed\": 0, \"referenceStats\": \"exact\", \"lanes\": [" + l + "]}");
        return p;
    }

    @Test
    void earlierResultsAreRefusedOrReplacedWhole() throws Exception {
        Path three = project("three.flowbench", 3, 100);
        Path one = project("one.flowbench", 1, 100);
        Path out = dir.resolve("out");
        assertEquals("0", CliTests.run("run", three.toString(), "--quiet", "--out", out.toString())[0]);
        assertTrue(OutputFolder.isResults(out));
        Map<String, byte[]> before = snapshot(out);

        String[] again = CliTests.run("run", one.toString(), "--quiet", "--out", out.toString());
        assertEquals("2", again[0], again[2]);
        assertTrue(again[2].contains("already holds the results of an earlier run"), again[2]);
        assertSnapshot(before, snapshot(out));

        // or, as the user chooses, the new results go under the next free numbered name
        String[] numbered = CliTests.run("run", one.toString(), "--numbered", "--out", out.toString());
        assertEquals("0", numbered[0], numbered[2]);
        assertTrue(numbered[1].contains(dir.resolve("out-2").resolve("metrics.json").toString()), numbered[1]);
        assertTrue(OutputFolder.isResults(dir.resolve("out-2")));
        assertSnapshot(before, snapshot(out));
        assertEquals("2", CliTests.run("run", one.toString(), "--numbered", "--overwrite", "--out", out.toString())[0]);

        String[] over = CliTests.run("run", one.toString(), "--quiet", "--overwrite", "--out", out.toString());
        assertEquals("0", over[0], over[2]);
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(1, m.path("lanes").size());
        try (Stream<Path> s = Files.list(out.resolve("samples"))) {
            assertEquals(1, s.count(), "no stale lanes of the earlier run");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out.")), "no staging, lock or old copy");
        }
    }

    @Test
    void foreignFoldersLocksAndTheProjectItselfAreProtected() throws Exception {
        Path p = project("p.flowbench", 1, 20);
        // a folder of other files is never replaced, even with --overwrite
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.tex"), "important");
        String[] r = CliTests.run("run", p.toString(), "--quiet", "--overwrite", "--out", mine.toString());
        assertEquals("2", r[0], r[2]);
        assertEquals("important", Files.readString(mine.resolve("thesis.tex")));
        // the folder holding the project
        String[] own = CliTests.run("run", p.toString(), "--quiet", "--out", dir.toString());
        assertEquals("2", own[0], own[2]);
        assertTrue(own[2].contains("holds the project"), own[2]);
        // a live lock (this test's own process) refuses a second writer, naming it
        Path out = dir.resolve("locked");
        Files.writeString(dir.resolve(".locked.lock"), ProcessHandle.current().pid() + "\n2026-12-05T00:00:00Z\nflowbench run x\n");
        String[] busy = CliTests.run("run", p.toString(), "--quiet", "--out", out.toString());
        assertEquals("2", busy[0], busy[2]);
        assertTrue(busy[2].contains("is being written by process " + ProcessHandle.current().pid()), busy[2]);
        assertFalse(Files.exists(out));
        // a stale lock (no such process) is taken over
        Files.writeString(dir.resolve(".locked.lock"), "999999999\n2026-12-05T00:00:00Z\nflowbench run x\n");
        assertEquals("0", CliTests.run("run", p.toString(), "--quiet", "--out", out.toString())[0]);
        assertFalse(Files.exists(dir.resolve(".locked.lock")));
    }

    /**
     * kill -9 at random moments of {@code run --overwrite} over earlier results (20 trials): afterwards the folder
     * holds exactly the old complete results or exactly the new ones.
     */
    @Test
    @Tag("slow")
    void killedRunsLeaveOldOrNewCompleteResults() throws Exception {
        // images, so that writing (PNG per sample) is a good part of the run and kills land in it
        Path a = project("a.flowbench", 2, 48, "builtin:fashion-flow");
        Path b = project("b.flowbench", 3, 48, "builtin:fashion-flow");
        Path out = dir.resolve("k");
        assertEquals("0", CliTests.run("run", a.toString(), "--quiet", "--out", out.toString())[0]);
        Map<String, byte[]> old = snapshot(out);
        Path fresh = dir.resolve("fresh");
        assertEquals("0", CliTests.run("run", b.toString(), "--quiet", "--out", fresh.toString())[0]);
        Map<String, byte[]> neu = snapshot(fresh);
        long t0 = System.nanoTime();
        Process timing = new ProcessBuilder(javaBin(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.flowbench.app.Main", "run", b.toString(), "--quiet", "--out", dir.resolve("timing").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("timing.log").toFile()).start();
        assertEquals(0, timing.waitFor());
        long full = (System.nanoTime() - t0) / 1_000_000; // ms of one whole run in a fresh JVM
        java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
        int sawOld = 0;
        int sawNew = 0;
        List<String> log = new ArrayList<>();
        for (int trial = 0; trial < 20; trial++) {
            Process proc = new ProcessBuilder(javaBin(), "-Dai.djl.offline=true", "-cp",
                    System.getProperty("java.class.path"), "org.flowbench.app.Main", "run", b.toString(), "--quiet",
                    "--overwrite", "--out", out.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("trial.log").toFile()).start();
            long delay = (long) (full * (0.3 + 0.8 * rng.nextDouble())); // from mid-compute to past the end
            boolean finished = proc.waitFor(delay, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!finished) {
                proc.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
            }
            Map<String, byte[]> now = snapshot(out);
            boolean isOld = identical(old, now);
            boolean isNew = sameRun(neu, now);
            log.add(delay + " ms: " + (finished ? "finished" : "killed") + ", " + (isOld ? "old" : isNew ? "new" : "MIX"));
            assertTrue(isOld || isNew, "trial " + trial + " left a mix: " + log);
            if (isNew) {
                sawNew++;
                // back to the old results for the next trial
                restore(out, old);
            } else {
                sawOld++;
            }
        }
        System.out.println("kill -9 trials (a whole run: " + full + " ms): " + log);
        assertTrue(sawOld > 0, "some trials were killed before the swap: " + log);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Every file under a folder by relative path, with its bytes. */
    static Map<String, byte[]> snapshot(Path root) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void assertSnapshot(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
    }

    /**
     * The same run: the same files, the completion marker among them, and byte-identical samples (NPY); metrics, PNG
     * recipes and the project record timings, which differ from run to run.
     */
    private static boolean sameRun(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet()) || !b.containsKey(OutputFolder.MARKER)) {
            return false;
        }
        for (String k : a.keySet()) {
            if (k.endsWith(".npy") && !java.util.Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean identical(Map<String, byte[]> a, Map<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> java.util.Arrays.equals(a.get(k), b.get(k)));
    }

    private static void restore(Path root, Map<String, byte[]> files) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path f = root.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
    }
}
