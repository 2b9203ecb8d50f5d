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
}
