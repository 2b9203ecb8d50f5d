package org.flowbench.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.app.cli.FlowbenchCommand;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on Spark in local mode (local[2]): a 2-lane × 2-seed sweep equals the same project run by 'flowbench run'
 * with each seed (sample files byte for byte, FID and every other figure the samples determine to 1e-9 relative) with
 * 1, 2 and 5 shards per lane; a sweep stopped after a few shards and run again ends with the same figures, each
 * shard counted once.
 */
class SweepTest {
    /** Figures of the clock and the machine, not of the samples. */
    @TempDir
    static Path dir;
    static Path project;

    @BeforeAll
    static void project() {
        // 320 images in 5 batches of 64: FID needs more images than the classifier's 128 feature dimensions
        Project p = new Project(Project.SCHEMA_VERSION, "sweep test", "builtin:fashion-flow", null, "all", 320, 64, 0,
                SeedPolicy.FIXED, 0, "default", List.of(new LaneSpec("Euler 2", "euler", Map.of("steps", "2")),
                        new LaneSpec("Heun 2", "heun", Map.of("steps", "2"))), List.of());
        project = dir.resolve("t.flowbench");
        ProjectFiles.write(p, project);
    }

    private static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void aShardedSweepEqualsTheRunOfEachSeed() throws Exception {
        for (int shards : new int[] {1, 2, 5}) {
            Path out = dir.resolve("sweep" + shards);
            String[] r = cli("sweep", project.toString(), "--seeds", "0..1", "--master", "local[2]", "--shards",
                    Integer.toString(shards), "--out", out.toString());
            assertEquals("0", r[0], r[1] + r[2]);
            int perLane = shards == 2 ? 2 : shards; // 5 batches in 2 shards: 3 + 2 batches
            try (var files = Files.list(out.resolve("shards"))) {
                assertEquals(2 * 2 * perLane, files.count(), "shards on disk");
            }
            compareWithRuns(out, shards == 1);
        }
    }

    @Test
    void aStoppedSweepResumesWithoutCountingAShardTwice() throws Exception {
        Path out = dir.resolve("resumed");
        String[] first = cli("sweep", project.toString(), "--seeds", "0..1", "--master", "local[2]", "--shards", "5",
                "--max-shards", "7", "--out", out.toString());
        assertEquals("0", first[0], first[2]);
        assertTrue(first[1].contains("13 of 20 left"), first[1]);
        assertFalse(Files.exists(out.resolve("metrics.json")));
        // another sweep in the same folder is refused, nothing changed
        String[] other = cli("sweep", project.toString(), "--seeds", "0..2", "--master", "local[2]", "--shards", "5",
                "--out", out.toString());
        assertEquals("2", other[0], other[1] + other[2]);
        assertTrue(other[2].contains("another sweep"), other[2]);
        String[] rest = cli("sweep", project.toString(), "--seeds", "0..1", "--master", "local[2]", "--shards", "5",
                "--out", out.toString());
        assertEquals("0", rest[0], rest[2]);
        assertTrue(rest[1].contains("ran 13 shards (7 were done before)"), rest[1]);
        compareWithRuns(out, false);
    }

    /** Each sweep entry against 'flowbench run' of its seed (run once, by whichever test comes first). */
    private static void compareWithRuns(Path sweep, boolean exact) throws Exception {
        for (long seed : new long[] {0, 1}) {
            Path run = dir.resolve("run" + seed);
            if (!Files.exists(run.resolve("metrics.json"))) {
                String[] r = cli("run", project.toString(), "--seed", Long.toString(seed), "--out", run.toString());
                assertEquals("0", r[0], r[2]);
            }
        }
        JsonNode s = Json.MAPPER.readTree(sweep.resolve("metrics.json").toFile());
        assertEquals(4, s.path("lanes").size());
        // the folder opens in the workbench like a run's: the project with its results, FID vs N, samples
        Project opened = ProjectFiles.read(sweep.resolve("project.flowbench"));
        assertEquals(4, opened.results().size());
        assertTrue(opened.results().get(0).history().stream().anyMatch(h -> h.containsKey("fid")),
                opened.results().get(0).history().toString());
        assertTrue(Files.isRegularFile(sweep.resolve("project.samples").resolve("01-euler-2-seed-0.npy")));
        int entry = 0;
        for (long seed : new long[] {0, 1}) {
            JsonNode r = Json.MAPPER.readTree(dir.resolve("run" + seed).resolve("metrics.json").toFile());
            for (int lane = 0; lane < 2; lane++, entry++) {
                JsonNode a = r.path("lanes").get(lane);
                JsonNode b = s.path("lanes").get(entry);
                String where = sweep.getFileName() + " " + b.path("lane").asText();
                assertEquals(a.path("lane").asText() + " · seed " + seed, b.path("lane").asText());
                assertEquals("done", b.path("status").asText(), where + " " + b.path("message").asText());
                assertEquals(320, b.path("metrics").path("images").asInt(), where); // no shard counted twice
                assertTrue(a.path("metrics").has("fid") && a.path("metrics").has("kid"), a.toString());
                var names = a.path("metrics").fieldNames();
                while (names.hasNext()) {
                    String k = names.next();
                    if (org.flowbench.app.session.LaneStats.MEASURED_TIMES.contains(k)) {
                        continue;
                    }
                    double x = a.path("metrics").path(k).asDouble();
                    double y = b.path("metrics").path(k).asDouble();
                    assertEquals(x, y, exact ? 0 : 1e-9 * Math.abs(x), where + " " + k);
                }
                assertEquals(seed, b.path("record").path("seed").asLong(), where);
                String slugA = String.format("%02d-%s.npy", lane + 1, lane == 0 ? "euler-2" : "heun-2");
                String slugB = String.format("%02d-%s-seed-%d.npy", entry + 1, lane == 0 ? "euler-2" : "heun-2", seed);
                assertArrayEquals(Files.readAllBytes(dir.resolve("run" + seed).resolve("samples").resolve(slugA)),
                        Files.readAllBytes(sweep.resolve("samples").resolve(slugB)), where + " samples");
            }
        }
    }
}
