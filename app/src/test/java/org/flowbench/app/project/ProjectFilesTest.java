package org.flowbench.app.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {
    @TempDir
    Path dir;

    private static Project sample() {
        return sample("t");
    }

    private static Project sample(String name) {
        Project p = Project.analyticComparison().withName(name);
        return p.withResults(List.of(new LaneResult("Euler 4", "done", null, 2000,
                Map.of("nfePerImage", 4.0, "fid", 0.25, "modeTv", 0.03),
                Map.of("sampler", "euler", "samplerVersion", "1", "seed", 0))));
    }

    @Test
    void roundTripKeepsEverythingByName() throws Exception {
        Path f = dir.resolve("a.flowbench");
        Project p = sample();
        ProjectFiles.write(p, f);
        Project q = ProjectFiles.read(f);
        assertEquals(ProjectFiles.resolved(p), q);
        assertEquals("8", q.lanes().get(1).params().get("steps"));
        assertEquals(0.25, q.result("Euler 4").metric("fid"));
        String text = Files.readString(f);
        assertTrue(text.contains("\"schemaVersion\" : 2"), text);
        assertTrue(text.contains("\"grid\" : \"auto\""), "every resolved parameter is saved: " + text);
        assertTrue(text.contains("\"samplerVersion\" : \"2\""), text);
        assertTrue(!text.contains("\"model\" : null"), "a lane on the project's model names none: " + text);
        assertTrue(text.contains("\"steps\" : \"4\""), "parameters are stored by name: " + text);
    }

    @Test
    void saveKeepsPreviousVersionAsBak() throws Exception {
        Path f = dir.resolve("a.flowbench");
        ProjectFiles.write(sample(), f);
        ProjectFiles.write(sample().withName("second"), f);
        assertEquals("t", ProjectFiles.read(dir.resolve("a.flowbench.bak")).name());
        assertEquals("second", ProjectFiles.read(f).name());
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp files left behind");
        }
    }

    @Test
    void damagedFileIsOneClearMessageAndUnchanged() throws Exception {
        Path f = dir.resolve("bad.flowbench");
        ProjectFiles.write(sample(), f);
        byte[] good = Files.readAllBytes(f);
        byte[] torn = java.util.Arrays.copyOf(good, good.length / 2);
        Files.write(f, torn);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> ProjectFiles.read(f));
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertArrayEquals(torn, Files.readAllBytes(f), "reading changes nothing");
    }

    @Test
    void newerSchemaIsRefused() throws Exception {
        Path f = dir.resolve("new.flowbench");
        String text = new String(ProjectFiles.toBytes(sample()), StandardCharsets.UTF_8)
                .replace("\"schemaVersion\" : " + Project.SCHEMA_VERSION, "\"schemaVersion\" : 7");
        Files.writeString(f, text);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> ProjectFiles.read(f));
        assertTrue(e.getMessage().contains("newer Flowbench (schema 7"), e.getMessage());
        assertEquals(text, Files.readString(f));
    }

    @Test
    void unknownSamplerIsNamed() throws Exception {
        Path f = dir.resolve("u.flowbench");
        Files.writeString(f, new String(ProjectFiles.toBytes(sample()), StandardCharsets.UTF_8)
                .replace("\"sampler\" : \"heun\"", "\"sampler\" : \"warp-drive\""));
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> ProjectFiles.read(f));
        assertTrue(e.getMessage().contains("lane 'Heun 8' uses sampler 'warp-drive'"), e.getMessage());
        assertTrue(e.hint().contains("euler"), e.hint());
    }

    @Test
    void outOfRangeParameterIsNamed() throws Exception {
        Path f = dir.resolve("r.flowbench");
        Files.writeString(f, new String(ProjectFiles.toBytes(sample()), StandardCharsets.UTF_8)
                .replace("\"steps\" : \"32\"", "\"steps\" : \"0\""));
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> ProjectFiles.read(f));
        assertTrue(e.getMessage().contains("lane 'Euler 32'") && e.getMessage().contains("steps"), e.getMessage());
    }

    /** Schema 1 (until 2026-12-05) stored only parameters that differed from version-1 defaults. */
    @Test
    void schema1FixtureMigratesWithItsParametersResolved() throws Exception {
        Path f = dir.resolve("s1.flowbench");
        Files.copy(getClass().getResourceAsStream("/projects/schema1.flowbench"), f);
        byte[] before = Files.readAllBytes(f);
        Project p = ProjectFiles.read(f);
        assertEquals(Project.SCHEMA_VERSION, p.schemaVersion());
        LaneSpec euler32 = p.lanes().stream().filter(l -> l.name().equals("Euler 32")).findFirst().orElseThrow();
        assertEquals("32", euler32.params().get("steps"), "the default of version 1, now written down");
        assertEquals("uniform", euler32.params().get("grid"));
        assertEquals("2", euler32.samplerVersion());
        assertEquals(null, euler32.model());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(f)), "reading changes nothing on disk");
    }

    @Test
    void aLaneModelRoundTrips() throws Exception {
        Project p = Project.analyticComparison().withLanes(List.of(new LaneSpec("student", "euler",
                Map.of("steps", "4"), "builtin:checker", null)));
        Path f = dir.resolve("m.flowbench");
        ProjectFiles.write(p, f);
        assertEquals("builtin:checker", ProjectFiles.read(f).lanes().get(0).model());
        assertTrue(ProjectFiles.read(f).lanes().get(0).summary().endsWith("on builtin:checker"));
    }

    @Test
    void schema0FixtureMigrates() throws Exception {
        Path f = dir.resolve("old.flowbench");
        Files.copy(getClass().getResourceAsStream("/projects/schema0.flowbench"), f);
        Project p = ProjectFiles.read(f);
        assertEquals(Project.SCHEMA_VERSION, p.schemaVersion());
        assertEquals("builtin:2modes", p.model());
        assertEquals(300, p.n());
        assertEquals(7, p.seed());
        assertEquals(2, p.lanes().size());
        assertEquals("8", p.lanes().get(1).params().get("steps"));
        assertEquals("uniform", p.lanes().get(1).params().get("grid"));
        assertEquals("euler 1", p.lanes().get(0).name());
    }

    /** A damaged file is described in plain words (where it breaks), and a .bak is named only when there is one. */
    @Test
    void damagedProjectsAreDescribedInPlainWords() throws Exception {
        Path f = dir.resolve("broken.flowbench");
        Files.writeString(f, "{\n  \"schemaVersion\": 2,\n  \"name\": \"x\",\n  }");
        org.flowbench.engine.FlowbenchException e = assertThrows(org.flowbench.engine.FlowbenchException.class,
                () -> ProjectFiles.read(f));
        assertTrue(e.getMessage().contains("not valid JSON") && e.getMessage().contains("line 4, column 3"),
                e.getMessage());
        assertFalse(e.getMessage().contains("Unexpected character") || e.getMessage().contains("code 125"),
                "no parser internals: " + e.getMessage());
        assertFalse(String.valueOf(e.hint()).contains(".bak"), "no .bak to point at: " + e.hint());
        Files.writeString(dir.resolve("broken.flowbench.bak"), "{}");
        e = assertThrows(org.flowbench.engine.FlowbenchException.class, () -> ProjectFiles.read(f));
        assertTrue(e.hint().contains("broken.flowbench.bak"), e.hint());
    }

    @Test
    void workspaceOffersRecoveryOnlyAfterUncleanExit() throws Exception {
        Path ws = dir.resolve("ws");
        // a window whose process has ended without a clean exit
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Workspace crashed = new Workspace(ws, gone.pid());
        crashed.opened();
        crashed.autosave(sample());
        // this window, still running, with its own unsaved work
        Workspace live = new Workspace(ws);
        live.opened();
        live.autosave(sample("mine"));
        // a third window starting now sees exactly the crashed one's project, never the live one's
        Workspace third = new Workspace(ws, ProcessHandle.current().parent().orElseThrow().pid());
        List<Workspace.Recovery> offered = third.recoverable();
        assertEquals(1, offered.size(), offered.toString());
        assertEquals("t", offered.get(0).project().name());
        third.settle(offered.get(0));
        assertTrue(third.recoverable().isEmpty(), "offered once");
        assertTrue(Files.exists(live.autosaveFile()), "the live window's autosave is untouched");
        live.closedCleanly();
        assertTrue(!Files.exists(live.autosaveFile()) && !Files.exists(live.marker()));
        // an autosave of the earlier single-file layout whose process is gone is offered too
        Files.writeString(ws.resolve("running"), Long.toString(gone.pid()));
        Files.write(ws.resolve("autosave.flowbench"), ProjectFiles.toBytes(sample("legacy")));
        assertEquals("legacy", third.recoverable().get(0).project().name());
        Workspace w = new Workspace(ws);
        w.addRecent(dir.resolve("x.flowbench"));
        w.addRecent(dir.resolve("y.flowbench"));
        w.addRecent(dir.resolve("x.flowbench"));
        assertEquals(List.of(dir.resolve("x.flowbench").toAbsolutePath(), dir.resolve("y.flowbench").toAbsolutePath()),
                w.recent());
    }
}
