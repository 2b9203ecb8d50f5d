package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed ONNX fixture (scripts/make_onnx_flow_fixture.py) against the analytic Gaussian it encodes. */
class OnnxFlowModelTest {
    @TempDir
    Path dir;

    Path fixture() throws Exception {
        Path src = Path.of(getClass().getResource("onnx-gauss/flowbench-model.json").toURI()).getParent();
        Path d = dir.resolve("onnx-gauss");
        Files.createDirectories(d);
        for (String f : new String[] {"flowbench-model.json", "model.onnx"}) {
            Files.copy(src.resolve(f), d.resolve(f));
        }
        return d;
    }

    private Path gaussSpec() throws Exception {
        Path spec = dir.resolve("g.json");
        Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"rectified-flow\",\"weights\":[1],"
                + "\"means\":[[1,-2]],\"stds\":[0.5]}");
        return spec;
    }

    @Test
    void velocityAndSamplesEqualTheAnalyticModel() throws Exception {
        try (FlowModel onnx = Models.open(fixture().toString()); FlowModel exact = Models.open(gaussSpec().toString())) {
            assertEquals("float32", onnx.dtype());
            // the probe printed by the fixture script (per-state times: 0.25 and 0.9)
            double[] v = new double[4];
            onnx.velocityAt(new double[] {0.3, -0.7, 2.0, 1.0}, 2, new double[] {0.25, 0.9}, null, v);
            assertEquals(0.9405405521392822, v[0], 1e-6);
            assertEquals(-1.762162208557129, v[1], 1e-6);
            assertEquals(-0.3529413938522339, v[3], 1e-6);
            // 40-step Euler from the same noises: the samples agree to float32 precision
            int n = 64;
            double[] a = new double[2 * n];
            for (int i = 0; i < n; i++) {
                NoiseSource.gaussian(5, i, 0, a, 2 * i, 2);
            }
            double[] b = a.clone();
            double[] va = new double[a.length];
            double[] vb = new double[b.length];
            int steps = 40;
            for (int k = 0; k < steps; k++) {
                double t = (double) k / steps;
                onnx.velocity(a, n, t, null, va);
                exact.velocity(b, n, t, null, vb);
                for (int i = 0; i < a.length; i++) {
                    a[i] += va[i] / steps;
                    b[i] += vb[i] / steps;
                }
            }
            double mean0 = 0;
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-4 * (1 + Math.abs(b[i])), "sample coordinate " + i);
                mean0 += i % 2 == 0 ? a[i] / n : 0;
            }
            assertEquals(1.0, mean0, 0.2, "samples centre on the data mean");
        }
    }

    @Test
    void tamperedOrWrongNetworksAreRejected() throws Exception {
        Path d = fixture();
        byte[] b = Files.readAllBytes(d.resolve("model.onnx"));
        b[b.length / 2] ^= 1;
        Files.write(d.resolve("model.onnx"), b);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> Models.open(d.toString()));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        // a file that is not ONNX, listed with its correct hash: one clear error naming the file
        Path junk = dir.resolve("junk");
        Files.createDirectories(junk);
        Files.writeString(junk.resolve("model.onnx"), "not a model");
        String manifest = Files.readString(d.resolve("flowbench-model.json"))
                .replaceAll("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"" + ModelPackage.sha256(junk.resolve("model.onnx"))
                        + "\"");
        Files.writeString(junk.resolve("flowbench-model.json"), manifest);
        FlowbenchException e2 = assertThrows(FlowbenchException.class, () -> Models.open(junk.toString()));
        assertTrue(e2.getMessage().contains("cannot load ONNX network"), e2.getMessage());
    }
}
