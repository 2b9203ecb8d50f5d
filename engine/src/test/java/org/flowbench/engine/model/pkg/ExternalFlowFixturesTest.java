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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed external-network fixtures (scripts/make_external_flow_fixtures.py), a TorchScript and an ONNX
 * module of the exact velocity field of N((1, −2), 0.5² I), against the analytic model they encode.
 */
class ExternalFlowFixturesTest {
    @TempDir
    Path dir;

    /** A writable copy of the fixture package, so that tests may tamper with it. */
    private Path fixture(String name, String file) throws Exception {
        Path src = Path.of(getClass().getResource(name + "/flowbench-model.json").toURI()).getParent();
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        for (String f : new String[] {"flowbench-model.json", file}) {
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ts-gauss, model.pt", "onnx-gauss, model.onnx"})
    void velocityAndSamplesEqualTheAnalyticModel(String name, String file) throws Exception {
        try (FlowModel net = Models.open(fixture(name, file).toString());
                FlowModel exact = Models.open(gaussSpec().toString())) {
            assertEquals("float32", net.dtype());
            // the probe printed by the fixture script (per-state times 0.25 and 0.9: network times 250 and 900)
            double[] v = new double[4];
            net.velocityAt(new double[] {0.3, -0.7, 2.0, 1.0}, 2, new double[] {0.25, 0.9}, null, v);
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
                net.velocity(a, n, t, null, va);
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

    /**
     * Networks on other paths and conventions load and give the analytic model's field: ts-vp-gauss predicts ε on the
     * VP path from 1000·τ (τ = 1 − t), ts-ve-gauss predicts the data on the VE path from σ(t).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ts-vp-gauss, vp", "ts-ve-gauss, ve"})
    void networksOnVpAndVePathsGiveTheAnalyticField(String name, String path) throws Exception {
        Path spec = dir.resolve(path + ".json");
        Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"" + path + "\",\"weights\":[1],"
                + "\"means\":[[1,-2]],\"stds\":[0.5],\"sigmaMin\":0.01,\"sigmaMax\":10}");
        try (FlowModel net = Models.open(fixture(name, "model.pt").toString());
                FlowModel exact = Models.open(spec.toString())) {
            assertEquals(path, net.path().id());
            assertEquals(exact.path().tEnd(), net.path().tEnd(), 1e-12);
            double[] x = {0.3, -0.7, 2.0, 1.0, -1.0, 0.4};
            double[] ts = {0.1, 0.5, 0.95};
            double[] a = new double[6];
            double[] b = new double[6];
            net.velocityAt(x, 3, ts, null, a);
            exact.velocityAt(x, 3, ts, null, b);
            for (int i = 0; i < 6; i++) {
                assertEquals(b[i], a[i], 1e-4 * (1 + Math.abs(b[i])), "velocity " + i);
            }
            for (double t : ts) {
                net.denoise(x, 3, t, null, a);
                exact.denoise(x, 3, t, null, b);
                for (int i = 0; i < 6; i++) {
                    assertEquals(b[i], a[i], 1e-4 * (1 + Math.abs(b[i])), "x̂1 at t = " + t);
                }
            }
            // 60 Euler steps over the path's interval from the same noises: the same samples to float32 precision
            int n = 32;
            double[] xa = new double[2 * n];
            for (int i = 0; i < n; i++) {
                NoiseSource.gaussian(6, i, 0, xa, 2 * i, 2);
            }
            double s0 = net.path().sigma(net.path().tStart());
            for (int i = 0; i < xa.length; i++) {
                xa[i] *= s0;
            }
            double[] xb = xa.clone();
            double[] va = new double[xa.length];
            double[] vb = new double[xa.length];
            int steps = 60;
            double t0 = net.path().tStart();
            double h = (net.path().tEnd() - t0) / steps;
            for (int k = 0; k < steps; k++) {
                net.velocity(xa, n, t0 + k * h, null, va);
                exact.velocity(xb, n, t0 + k * h, null, vb);
                for (int i = 0; i < xa.length; i++) {
                    xa[i] += h * va[i];
                    xb[i] += h * vb[i];
                }
            }
            for (int i = 0; i < xa.length; i++) {
                assertEquals(xb[i], xa[i], 1e-3 * (1 + Math.abs(xb[i])), "sample coordinate " + i);
            }
        }
    }

    @Test
    void manifestsWithUnknownConventionsAreOneClearError() throws Exception {
        Path d = fixture("ts-vp-gauss", "model.pt");
        String m = Files.readString(d.resolve("flowbench-model.json"));
        for (String[] bad : new String[][] {
            {"\"parameterization\": \"epsilon\"", "\"parameterization\": \"banana\"", "unknown parameterization 'banana'"},
            {"\"path\": \"vp\"", "\"path\": \"edm\"", "unknown path 'edm'"},
            {"\"networkTime\": \"diffusion\"", "\"networkTime\": \"tau\"", "unknown networkTime 'tau'"}}) {
            Files.writeString(d.resolve("flowbench-model.json"), m.replace(bad[0], bad[1]));
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> Models.open(d.toString()));
            assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ts-gauss, model.pt, TorchScript", "onnx-gauss, model.onnx, ONNX"})
    void tamperedOrWrongNetworksAreRejected(String name, String file, String format) throws Exception {
        Path d = fixture(name, file);
        byte[] b = Files.readAllBytes(d.resolve(file));
        b[b.length / 2] ^= 1;
        Files.write(d.resolve(file), b);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> Models.open(d.toString()));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        // a file that is not a network, listed with its correct hash: one clear error naming the format
        Path junk = dir.resolve("junk-" + name);
        Files.createDirectories(junk);
        Files.writeString(junk.resolve(file), "not a model");
        String manifest = Files.readString(d.resolve("flowbench-model.json"))
                .replaceAll("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"" + ModelPackage.sha256(junk.resolve(file)) + "\"");
        Files.writeString(junk.resolve("flowbench-model.json"), manifest);
        FlowbenchException e2 = assertThrows(FlowbenchException.class, () -> Models.open(junk.toString()));
        assertTrue(e2.getMessage().contains("cannot load " + format + " network"), e2.getMessage());
    }
}
