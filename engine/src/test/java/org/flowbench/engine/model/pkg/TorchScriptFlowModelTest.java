package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed TorchScript fixture (scripts/make_torchscript_flow_fixture.py) against the analytic Gaussian. */
class TorchScriptFlowModelTest {
    @TempDir
    Path dir;

    Path fixture() throws Exception {
        Path src = Path.of(getClass().getResource("ts-gauss/flowbench-model.json").toURI()).getParent();
        Path d = dir.resolve("ts-gauss");
        Files.createDirectories(d);
        for (String f : new String[] {"flowbench-model.json", "model.pt"}) {
            Files.copy(src.resolve(f), d.resolve(f));
        }
        return d;
    }

    @Test
    void velocityEqualsTheAnalyticModel() throws Exception {
        Path spec = dir.resolve("g.json");
        Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"rectified-flow\",\"weights\":[1],"
                + "\"means\":[[1,-2]],\"stds\":[0.5]}");
        try (FlowModel ts = Models.open(fixture().toString()); FlowModel exact = Models.open(spec.toString())) {
            assertEquals("float32", ts.dtype());
            // the probe printed by the fixture script
            double[] x = {0.3, -0.7, 2.0, 1.0};
            double[] v = new double[4];
            ts.velocityAt(x, 2, new double[] {0.25, 0.9}, null, v);
            assertEquals(0.9405405521392822, v[0], 1e-6);
            assertEquals(-0.3529413938522339, v[3], 1e-6);
            java.util.SplittableRandom r = new java.util.SplittableRandom(3);
            double[] xs = new double[2 * 50];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = r.nextGaussian() * 2;
            }
            for (double t : new double[] {0.0, 0.1, 0.5, 0.97}) {
                double[] a = new double[xs.length];
                double[] b = new double[xs.length];
                ts.velocity(xs, 50, t, null, a);
                exact.velocity(xs, 50, t, null, b);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-5 * (1 + Math.abs(b[i])), "t=" + t + " i=" + i);
                }
            }
        }
    }

    @Test
    void tamperedTorchScriptIsRejected() throws Exception {
        Path d = fixture();
        byte[] b = Files.readAllBytes(d.resolve("model.pt"));
        b[b.length / 2] ^= 1;
        Files.write(d.resolve("model.pt"), b);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> Models.open(d.toString()));
        assertTrue(e.getMessage().contains("sha256"));
    }
}
