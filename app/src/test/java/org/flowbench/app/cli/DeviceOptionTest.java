package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --device on the commands that run a model: the manifest says where it ran, an unusable GPU is one line and rc 2. */
class DeviceOptionTest {
    @TempDir
    Path dir;

    @Test
    void theManifestRecordsTheDeviceTheNetworkRanOn() throws Exception {
        Path man = dir.resolve("m.json");
        String[] r = CliTests.run("sample", "--device", "cpu", "--n", "2", "--steps", "2", "--prompt", "bag", "--quiet",
                "--out", dir.resolve("s.npy").toString(), "--manifest", man.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode m = Json.MAPPER.readTree(man.toFile());
        assertEquals("cpu", m.path("device").asText());
        assertEquals("float32", m.path("dtype").asText());
        // on the CPU the built-in UNet runs compiled to ONNX Runtime (ADR 0009)
        assertTrue(m.path("engine").asText().startsWith("onnxruntime "), m.toString());
    }

    @Test
    void anUnusableGpuIsRefusedInOneLine() throws Exception {
        Assumptions.assumeTrue(Devices.gpuCount() == 0, "this machine has a usable GPU");
        Path out = dir.resolve("g.npy");
        for (String[] cmd : new String[][] {
            {"sample", "--device", "gpu", "--n", "2", "--out", out.toString()},
            {"sample", "--device", "gpu:1", "--model", "builtin:3modes", "--n", "2", "--out", out.toString()},
            {"train", "evaluate", "--device", "gpu", "--n", "2", "--run", "euler:2"}}) {
            String[] r = CliTests.run(cmd);
            assertEquals("2", r[0], String.join(" ", cmd) + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].contains("no GPU is usable"), r[2]);
        }
        assertTrue(Files.notExists(out), "nothing is computed or written before the device is checked");
        String[] bad = CliTests.run("sample", "--device", "tpu", "--n", "2", "--out", out.toString());
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("unknown device 'tpu'"), bad[2]);
        Devices.use("cpu");
    }

    @Test
    void autoOnTheCpuSaysWhyOnlyWhereAGpuWasToBeExpected() throws Exception {
        Assumptions.assumeTrue(Devices.gpuCount() == 0, "this machine has a usable GPU");
        String[] r = CliTests.run("sample", "--n", "2", "--steps", "2", "--model", "builtin:3modes",
                "--out", dir.resolve("a.npy").toString());
        assertEquals("0", r[0], r[2]);
        long lines = r[2].lines().filter(l -> l.startsWith("auto: using the CPU: ")).count();
        // the CPU build says it where the driver sees a GPU it cannot use; without one it has nothing to report
        assertEquals(Devices.fallbackWorthSaying() ? 1 : 0, lines, r[2]);
        String[] q = CliTests.run("sample", "--n", "2", "--steps", "2", "--model", "builtin:3modes", "--quiet",
                "--out", dir.resolve("b.npy").toString());
        assertEquals("0", q[0], q[2]);
        assertTrue(q[2].isBlank(), q[2]);
    }

    @Test
    void devicesListsTheCpuAndSaysWhyNoGpuIsUsed() throws Exception {
        String[] r = CliTests.run("devices", "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode j = Json.MAPPER.readTree(r[1]);
        assertEquals("cpu", j.path("flavour").asText(), "the default build");
        JsonNode cpu = j.path("devices").get(0);
        assertEquals("cpu", cpu.path("device").asText());
        assertTrue(cpu.path("usable").asBoolean());
        assertTrue(cpu.path("cores").asInt() >= 1);
        assertEquals(0, j.path("engineGpus").asInt(), "the CPU build's engine sees no GPU");
        assertEquals("cpu", j.path("auto").asText());
        assertTrue(!j.path("autoWhyCpu").asText().isBlank(), r[1]);
        for (JsonNode d : j.path("devices")) {
            if (d.path("device").asText().startsWith("gpu")) {
                assertTrue(d.path("why").asText().contains("CPU build"), d.toString());
            }
        }
        String[] text = CliTests.run("devices");
        assertTrue(text[1].contains("Build: cpu") && text[1].contains("auto: cpu"), text[1]);
    }

    @Test
    void selftestWithoutAGpuChecksTheCpuHalfAndSaysWhy() throws Exception {
        Assumptions.assumeTrue(Devices.gpuCount() == 0, "this machine has a usable GPU");
        String[] r = CliTests.run("selftest", "--model", "builtin:3modes", "--n", "8", "--steps", "4", "--dim", "64",
                "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode j = Json.MAPPER.readTree(r[1]);
        assertTrue(j.path("ok").asBoolean(), r[1]);
        assertTrue(j.path("gpu").asText().startsWith("auto: using the CPU: "), r[1]);
        assertTrue(j.path("cpuImagesPerSecond").asDouble() > 0, r[1]);
        assertTrue(j.path("fdCpu").asDouble() > 0, r[1]);
        assertTrue(j.path("fdGpu").isNull(), "no GPU figure where no GPU ran: " + r[1]);
        String[] strict = CliTests.run("selftest", "--model", "builtin:3modes", "--n", "8", "--steps", "4", "--dim",
                "64", "--require-gpu");
        assertEquals("2", strict[0], strict[2]);
        assertEquals(1, strict[2].strip().lines().count(), strict[2]);
    }
}
