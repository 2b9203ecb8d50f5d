package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.pkg.TinyPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command: clean help, errors that name the real command, -q silent on success, --json that parses. */
class CliHygieneTest {
    @TempDir
    Path dir;

    /** Every command path under the root, e.g. [train, evaluate]. */
    static List<List<String>> commands(CommandLine cl, List<String> path) {
        List<List<String>> out = new ArrayList<>();
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            out.addAll(commands(e.getValue(), p));
        }
        return out;
    }

    @Test
    void everyCommandsHelpIsCleanAndOffersTheLogOptions() throws Exception {
        List<List<String>> all = commands(new CommandLine(new FlowbenchCommand()), List.of());
        assertTrue(all.size() > 15, all.toString());
        all.add(List.of());
        PrintStream saved = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8)); // picocli warns on System.err
        try {
            for (List<String> c : all) {
                List<String> args = new ArrayList<>(c);
                args.add("--help");
                String[] r = CliTests.run(args.toArray(String[]::new));
                String name = String.join(" ", c);
                assertEquals("0", r[0], name + ": " + r[2]);
                assertTrue(r[1].startsWith("Usage: flowbench" + (c.isEmpty() ? "" : " " + name)), name + ": " + r[1]);
                assertFalse(r[1].contains("%n") || r[1].contains("[picocli"), name + ": " + r[1]);
                assertEquals("", r[2], name);
                assertTrue(r[1].contains("-q, --quiet") && r[1].contains("-v, --verbose")
                        && r[1].contains("--log-level=LEVEL"), name + " lacks the log options: " + r[1]);
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals("", picocliWarnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void errorsNameTheRealCommandAndEveryUnknownOption() {
        String[] r = CliTests.run("train", "evaluate", "--nope");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'--nope'") && r[2].contains("Try 'flowbench train evaluate --help'"), r[2]);
        r = CliTests.run("sample", "--bogus");
        assertTrue(r[2].contains("'--bogus'") && r[2].contains("--out"), r[2]);
        r = CliTests.run("sample", "--param", "steps=5", "--steps", "3", "--out", dir.resolve("x.npy").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("disagree"), r[2]);
        r = CliTests.run("--log-level", "loud", "models");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown log level 'loud'"), r[2]);
    }

    @Test
    void listingsAndSummariesAreJsonOnRequest() throws Exception {
        Path tiny = TinyPackages.flow(dir.resolve("tiny"));
        for (String[] args : new String[][] {{"models", "--json"}, {"samplers", "--json"}, {"samplers", "heun", "--json"},
                {"samplers", "--model", "builtin:3modes", "--json"}, {"devices", "--json"},
                {"sample", "--model", tiny.toString(), "--n", "2", "--steps", "2", "--json", "--out",
                        dir.resolve("s.npy").toString()}}) {
            String[] r = CliTests.run(args);
            assertEquals("0", r[0], String.join(" ", args) + ": " + r[2]);
            JsonNode j = Json.MAPPER.readTree(r[1]);
            assertTrue(j.isArray() || j.isObject(), r[1]);
        }
        Path pf = dir.resolve("j.flowbench");
        org.flowbench.app.project.ProjectFiles.write(new org.flowbench.app.project.Project(2, "j", tiny.toString(), null,
                "", 2, 2, 0, org.flowbench.app.project.SeedPolicy.FIXED, 0, "exact", List.of(
                new org.flowbench.app.project.LaneSpec("E2", "euler", java.util.Map.of("steps", "2"))), List.of()), pf);
        Path x = dir.resolve("x.npy");
        org.flowbench.engine.io.Npy.writeFloat64(x, new int[] {4, 2}, new double[] {1, 2, 3, 4, 5, 7, 0, 1});
        for (String[] args : new String[][] {{"run", pf.toString(), "--out", dir.resolve("run").toString(), "--json"},
                {"stats", "--in", x.toString(), "--features", "identity", "--out", dir.resolve("x.stats").toString(),
                        "--json"},
                {"export", "--model", tiny.toString(), "--out", dir.resolve("w.safetensors").toString(), "--json"},
                {"recall", dir.resolve("run/metrics.json").toString(), "--json"}}) {
            String[] r = CliTests.run(args);
            assertEquals("0", r[0], String.join(" ", args) + ": " + r[2]);
            assertTrue(Json.MAPPER.readTree(r[1]).isObject(), r[1]);
        }
        JsonNode s = Json.MAPPER.readTree(CliTests.run("sample", "--model", tiny.toString(), "--n", "2", "--steps",
                "2", "--json", "--quiet", "--out", dir.resolve("t.npy").toString())[1]);
        assertEquals(2.0, s.get("nfePerImage").asDouble(), "--json stays on under --quiet: " + s);
    }

    /**
     * -q over the commands that finish in seconds, in-process: nothing on their stdout or stderr. (The log
     * configuration is fixed when a JVM's first logger is made: the libraries' lines are checked in a process of its
     * own, below.)
     */
    @Test
    void quietIsSilentOnEveryQuickCommand() throws Exception {
        Path tiny = TinyPackages.flow(dir.resolve("tiny"));
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        org.flowbench.engine.io.Npy.writeFloat64(x, new int[] {4, 2}, new double[] {1, 2, 3, 4, 5, 7, 0, 1});
        org.flowbench.engine.io.Npy.writeFloat64(y, new int[] {5, 2}, new double[] {2, 2, 2, 5, 6, 6, 1, 0, 3, 3});
        Path pf = dir.resolve("p.flowbench");
        org.flowbench.app.project.ProjectFiles.write(new org.flowbench.app.project.Project(2, "q", tiny.toString(), null,
                "", 2, 2, 0, org.flowbench.app.project.SeedPolicy.FIXED, 0, "exact", List.of(
                new org.flowbench.app.project.LaneSpec("E2", "euler", java.util.Map.of("steps", "2"))), List.of()), pf);
        String cache = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", dir.resolve("cache").toString());
        String[][] commands = {{"models"}, {"samplers"}, {"samplers", "rk4"}, {"devices"}, {"--version"},
            {"sample", "--model", tiny.toString(), "--n", "2", "--steps", "2", "--out", dir.resolve("s.npy").toString()},
            {"sample", "--model", tiny.toString(), "--n", "4", "--steps", "2", "--out", dir.resolve("g.png").toString()},
            {"run", pf.toString(), "--out", dir.resolve("run").toString()},
            {"recall", dir.resolve("run/samples/01-e2/00001.png").toString(), "--check"},
            {"stats", "--in", x.toString(), "--features", "identity", "--out", dir.resolve("x.stats").toString()},
            {"fid", "--a", x.toString(), "--b", y.toString(), "--features", "identity"},
            {"export", "--model", tiny.toString(), "--out", dir.resolve("w.safetensors").toString()},
            {"boss", "schedule", "--model", "builtin:boss-toy", "--steps", "2"}};
        try {
            for (String[] c : commands) {
                List<String> args = new ArrayList<>(List.of(c));
                args.add(c[0].startsWith("-") ? 0 : 1, "-q");
                String[] r = CliTests.run(args.toArray(String[]::new));
                String name = String.join(" ", c);
                if (c[0].equals("--version")) {
                    continue; // asked for: printed under -q too
                }
                assertEquals("0", r[0], name + ": " + r[1] + r[2]);
                assertEquals("", r[1], name);
                assertEquals("", r[2], name);
            }
        } finally {
            if (cache == null) {
                System.clearProperty("flowbench.cache");
            } else {
                System.setProperty("flowbench.cache", cache);
            }
        }
    }

    /** In a process of its own: the libraries' log lines are configured before their first logger, as for a user. */
    @Test
    void quietPrintsNothingAtAllOnSuccessAndEverythingOnFailure() throws Exception {
        Path tiny = TinyPackages.flow(dir.resolve("tiny"));
        String[] ok = flowbench("sample", "--model", tiny.toString(), "--n", "2", "--steps", "2", "-q", "--out",
                dir.resolve("q.npy").toString());
        assertEquals("0", ok[0], ok[2]);
        assertEquals("", ok[1]);
        assertEquals("", ok[2]);
        // a command that logs at INFO when not quiet (the BOSS cost matrix): silent under -q
        String[] boss = flowbench("boss", "schedule", "--model", "builtin:boss-toy", "--steps", "2", "-q");
        assertEquals("0", boss[0], boss[2]);
        assertEquals("", boss[1] + boss[2]);
        String[] plain = flowbench("sample", "--model", tiny.toString(), "--n", "2", "--steps", "2", "--out",
                dir.resolve("p.npy").toString());
        assertEquals("0", plain[0], plain[2]);
        assertTrue(plain[1].startsWith("wrote 2 samples"), plain[1]);
        assertFalse(plain[2].contains("INFO"), "libraries log at WARN by default: " + plain[2]);
        String[] bad = flowbench("sample", "--model", dir.resolve("missing").toString(), "--n", "2", "-q", "--out",
                dir.resolve("b.npy").toString());
        assertEquals("2", bad[0]);
        assertTrue(bad[2].startsWith("flowbench: "), bad[2]);
    }

    String[] flowbench(String... args) throws Exception {
        // a cache of its own: the BOSS schedule is computed (and logged), not read back
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dflowbench.cache=" + dir.resolve("process-cache"), "-cp",
                System.getProperty("java.class.path"), "org.flowbench.app.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove(Verbosity.ENV);
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        return new String[] {String.valueOf(rc), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8)};
    }
}
