package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.FashionMnist;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.Conditioner;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {
    @TempDir
    Path dir;

    static Path tinyFlowPackage(Path dir) throws Exception {
        return TinyPackages.flow(dir);
    }

    @Test
    void packageOpensThroughModelsAndEvaluatesBatchInvariantly() throws Exception {
        Path p = tinyFlowPackage(dir.resolve("tiny"));
        try (FlowModel m = Models.open(p.toString())) {
            assertEquals("float32", m.dtype());
            assertArrayEquals(new int[] {1, 28, 28}, m.shape());
            assertEquals(10, m.classNames().size());
            int n = 3;
            double[] x = new double[n * 784];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            int[] labels = {0, -1, 7};
            double[] v = new double[n * 784];
            m.velocityAt(x, n, new double[] {0.1, 0.5, 0.9}, labels, v);
            double[] v1 = new double[784];
            m.velocity(java.util.Arrays.copyOfRange(x, 784, 1568), 1, 0.5, new int[] {-1}, v1);
            for (int i = 0; i < 784; i++) {
                assertEquals(v[784 + i], v1[i], 1e-5);
                assertTrue(Double.isFinite(v[i]));
            }
            // label −1 is the null class 10
            double[] vNull = new double[784];
            m.velocity(java.util.Arrays.copyOfRange(x, 784, 1568), 1, 0.5, new int[] {10}, vNull);
            assertArrayEquals(v1, vNull, 0.0);

            // guidance: w = 0 is unconditional, w = 1 conditional, w = 3 the extrapolation
            double[] xc = java.util.Arrays.copyOfRange(x, 0, 784);
            double[] vc = new double[784];
            double[] vu = new double[784];
            m.velocity(xc, 1, 0.3, new int[] {4}, vc);
            m.velocity(xc, 1, 0.3, new int[] {-1}, vu);
            GuidedModel g = new GuidedModel(m, 3.0);
            double[] vg = new double[784];
            g.velocity(xc, 1, 0.3, new int[] {4}, vg);
            for (int i = 0; i < 784; i++) {
                assertEquals(vu[i] + 3.0 * (vc[i] - vu[i]), vg[i], 1e-5);
            }
        }
        try (FlowModel g = Models.open(p + "?cfg=2")) {
            assertTrue(g instanceof GuidedModel);
        }
    }

    @Test
    void hashMismatchIsOneClearError() throws Exception {
        Path p = tinyFlowPackage(dir.resolve("tiny"));
        byte[] b = Files.readAllBytes(p.resolve("model.safetensors"));
        b[b.length - 1] ^= 1;
        Files.write(p.resolve("model.safetensors"), b);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> Models.open(p.toString()));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void shapeMismatchIsOneClearError() throws Exception {
        Path p = tinyFlowPackage(dir.resolve("tiny"));
        Path mf = p.resolve(ModelPackage.MANIFEST);
        String s = Files.readString(mf).replaceFirst("\"channels\" : \\[ 8, 8, 8 \\]", "\"channels\" : [ 8, 16, 8 ]");
        assertTrue(s.contains("[ 8, 16, 8 ]"), s);
        Files.writeString(mf, s);
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> Models.open(p.toString()));
        assertTrue(e.getMessage().contains("has shape"), e.getMessage());
    }

    @Test
    void zipUnpacksAndTraversalIsRejected() throws Exception {
        Path p = tinyFlowPackage(dir.resolve("tiny"));
        Path zip = dir.resolve("tiny.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String f : List.of(ModelPackage.MANIFEST, "model.safetensors", "MODEL_CARD.md")) {
                z.putNextEntry(new ZipEntry("tiny/" + f));
                z.write(Files.readAllBytes(p.resolve(f)));
                z.closeEntry();
            }
        }
        try (FlowModel m = Models.open(zip.toString())) {
            assertEquals(784, m.dim());
        }
        for (String evil : List.of("../evil.txt", "a/../../evil.txt", "/abs/evil.txt")) {
            Path bad = dir.resolve("bad.zip");
            try (OutputStream o = Files.newOutputStream(bad); ZipOutputStream z = new ZipOutputStream(o)) {
                z.putNextEntry(new ZipEntry(evil));
                z.write(1);
                z.closeEntry();
            }
            Path target = dir.resolve("unz");
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> ZipPackages.unpack(bad, target));
            assertTrue(e.getMessage().contains("evil"), e.getMessage());
            assertTrue(!Files.exists(dir.resolve("evil.txt")));
        }
    }

    @Test
    void promptConditionerMapsPhrasingsAndListsWhatItUnderstands() throws Exception {
        Path repo = Path.of(System.getProperty("flowbench.repo", "../"));
        String old = System.getProperty("flowbench.home");
        System.setProperty("flowbench.home", repo.toAbsolutePath().toString());
        try (FlowModel m = Models.open(tinyFlowPackage(dir.resolve("tiny")).toString())) {
            Conditioner c = Conditioner.forModel(m);
            assertEquals(FlowModel.UNCONDITIONAL, c.label(""));
            assertEquals(FlowModel.UNCONDITIONAL, c.label("   "));
            assertEquals(7, c.label("Sneakers"));
            assertEquals(3, c.label("  a   dress. "));
            assertEquals(0, c.label("T-shirt/top"));
            assertEquals(9, c.label("ankle boots"));
            assertEquals(8, c.label("class 8"));
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> c.label("a red car"));
            assertTrue(e.hint().contains("sneakers") && e.hint().contains("handbag"), e.hint());
            assertTrue(c.prompts().size() >= 30);
        } finally {
            if (old == null) {
                System.clearProperty("flowbench.home");
            } else {
                System.setProperty("flowbench.home", old);
            }
        }
    }

    /** A damaged manifest is one line naming the fields, never a NullPointerException from a network's config. */
    @Test
    void damagedManifestsNameTheirProblems() throws Exception {
        org.flowbench.engine.nn.ClassifierCnn net = new org.flowbench.engine.nn.ClassifierCnn(10);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "c");
        m.put("kind", "classifier");
        m.put("architecture", org.flowbench.engine.nn.ClassifierCnn.ARCHITECTURE);
        m.put("config", net.config());
        m.put("imageShape", new int[] {1, 28, 28});
        Path p = dir.resolve("damaged");
        ModelPackage.write(p, m, net.init(1), Map.of(), null);
        Path mf = p.resolve(ModelPackage.MANIFEST);
        String good = Files.readString(mf);
        String[][] cases = {
            {"\"imageShape\"", "\"imageShapeX\"", "\"imageShape\" must be a list of positive whole numbers"},
            {"\"name\" : \"c\"", "\"name\" : 3", "\"name\" is missing or not text"},
            {"\"config\"", "\"configX\"", "\"config\" (the architecture's settings) is missing"},
            {"\"sha256\"", "\"sha\"", "has no sha256"},
        };
        for (String[] c : cases) {
            assertTrue(good.contains(c[0]), c[0]);
            Files.writeString(mf, good.replace(c[0], c[1]));
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> ModelPackage.open(p), c[1]);
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
        }
        // a config without a field the architecture needs
        Files.writeString(mf, good.replace("\"classes\"", "\"classesX\""));
        FlowbenchException e = assertThrows(FlowbenchException.class,
                () -> ClassifierModel.open(ModelPackage.open(p)));
        assertTrue(e.getMessage().contains("lacks a field or has one of the wrong type"), e.getMessage());
    }

    @Test
    void classifierPackageGivesFeaturesAndLogProbabilities() throws Exception {
        org.flowbench.engine.nn.ClassifierCnn net = new org.flowbench.engine.nn.ClassifierCnn(10);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "c");
        m.put("kind", "classifier");
        m.put("architecture", org.flowbench.engine.nn.ClassifierCnn.ARCHITECTURE);
        m.put("config", net.config());
        m.put("imageShape", new int[] {1, 28, 28});
        m.put("conditioning", Map.of("classNames", FashionMnist.CLASS_NAMES));
        Path p = dir.resolve("cls");
        ModelPackage.write(p, m, net.init(1), Map.of(), null);
        assertThrows(FlowbenchException.class, () -> Models.open(p.toString()));
        org.flowbench.engine.model.FeatureExtractor fx = org.flowbench.engine.metrics.FeatureExtractors.resolve(
                "classifier:" + p, new int[] {1, 28, 28});
        assertEquals(128, fx.dim());
        assertEquals(ModelPackage.open(p).hash(), fx.hash());
        ((ClassifierModel) fx).close();
        try (ClassifierModel c = ClassifierModel.open(ModelPackage.open(p))) {
            double[] x = new double[2 * 784];
            java.util.Arrays.fill(x, 784, 1568, 0.5);
            double[] f = new double[2 * 128];
            c.features(x, 2, f);
            double[] lp = new double[20];
            c.logProbabilities(x, 2, lp);
            double s = 0;
            for (int k = 0; k < 10; k++) {
                s += Math.exp(lp[k]);
            }
            assertEquals(1.0, s, 1e-5);
            assertEquals(128, c.dim());
            // reward gradient against a central finite difference on a few pixels
            java.util.SplittableRandom r = new java.util.SplittableRandom(9);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble() * 2 - 1;
            }
            double[] rew = new double[2];
            double[] g = new double[2 * 784];
            c.logProbabilityGradient(x, 2, new int[] {3, 7}, rew, g);
            for (int pix : new int[] {100, 400, 784 + 300}) {
                double h = 1e-2;
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[pix] += h;
                xm[pix] -= h;
                double[] rp = new double[2];
                double[] rm = new double[2];
                c.logProbabilityGradient(xp, 2, new int[] {3, 7}, rp, new double[2 * 784]);
                c.logProbabilityGradient(xm, 2, new int[] {3, 7}, rm, new double[2 * 784]);
                int img = pix / 784;
                double fd = (rp[img] - rm[img]) / (2 * h);
                assertEquals(fd, g[pix], 2e-3 + 0.05 * Math.abs(fd), "pixel " + pix);
            }
        }
        assertTrue(Json.MAPPER.readTree(p.resolve(ModelPackage.MANIFEST).toFile()).path("weights")
                .path("model.safetensors").path("sha256").asText().length() == 64);
    }
}
