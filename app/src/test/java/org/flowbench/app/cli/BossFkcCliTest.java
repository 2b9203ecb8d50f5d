package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BOSS and FKC command lines of the docs. */
class BossFkcCliTest {
    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void bossSchedulePrintsTimesAndObjective(@TempDir Path dir) {
        String old = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", dir.toString());
        try {
            String[] r = run("boss", "schedule", "--model", "builtin:boss-toy", "--steps", "2");
            assertEquals("0", r[0], r[2]);
            // the method reference's K = 2 times on this toy: 0, 0.35, 1
            assertTrue(r[1].contains("times: 0.00000 0.350000 1.00000"), r[1]);
            assertTrue(r[1].contains("DP objective:"), r[1]);
            // --compare: the Bellman times beat uniform ones on held-out noises (coupled endpoint error)
            String[] cmp = run("boss", "schedule", "--model", "builtin:boss-toy", "--steps", "4", "--compare", "400");
            assertEquals("0", cmp[0], cmp[2]);
            java.util.regex.Matcher mt = java.util.regex.Pattern.compile("Bellman ([0-9.e-]+), uniform ([0-9.e-]+)")
                    .matcher(cmp[1]);
            assertTrue(mt.find(), cmp[1]);
            assertTrue(Double.parseDouble(mt.group(1)) < Double.parseDouble(mt.group(2)), cmp[1]);
            // the feature objective (identity features on this 2-D toy): its own schedule, the evaluations it made
            String[] f = run("boss", "schedule", "--model", "builtin:boss-toy", "--steps", "2", "--fine", "20",
                    "--cost", "features", "--features", "identity");
            assertEquals("0", f[0], f[2]);
            assertTrue(f[1].contains("cost: features") && f[1].contains("computed with 21000 field evaluations"), f[1]);
            String[] bad = run("boss", "schedule", "--model", "builtin:boss-toy", "--steps", "200");
            assertEquals("2", bad[0]);
            assertTrue(bad[2].startsWith("flowbench: "), bad[2]);
        } finally {
            if (old == null) {
                System.clearProperty("flowbench.cache");
            } else {
                System.setProperty("flowbench.cache", old);
            }
        }
    }

    /**
     * Straightening works on the built-in image UNet, not only on MLPs: a toy-sized run (2 steps, fine grid 10,
     * 20 paths, 4 fine-tuning steps) writes a student package that keeps the parent's architecture, classes and
     * reference statistics, records the parent, K and the times, and samples on those times.
     */
    @Test
    void trainBossStraightensTheImageUnet(@TempDir Path dir) throws Exception {
        String old = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", dir.resolve("cache").toString());
        try {
            Path out = dir.resolve("boss2");
            String[] r = run("train", "boss", "--model", "builtin:fashion-flow", "--steps", "2", "--fine", "10",
                    "--cost-samples", "4", "--tuples", "20", "--finetune-steps", "4", "--batch", "8", "--warmup", "2",
                    "--eval-samples", "10", "--out", out.toString());
            assertEquals("0", r[0], r[2]);
            assertTrue(r[1].contains("held-out 2-step error"), r[1]);
            Path student = out.resolve("student");
            org.flowbench.engine.model.pkg.ModelPackage p = org.flowbench.engine.model.pkg.ModelPackage.open(student);
            assertEquals("flow-unet-v1", p.string("architecture"));
            assertEquals(10, p.classNames().size());
            assertEquals("builtin:fashion-flow", p.map("boss").get("parent"));
            assertEquals(2, ((Number) p.map("boss").get("steps")).intValue());
            java.util.List<?> times = (java.util.List<?>) p.map("boss").get("times");
            assertEquals(3, times.size());
            assertTrue(p.manifest().get("referenceStats").toString().contains("fashion-classifier"));
            assertTrue(Double.isFinite(((Number) p.map("provenance").get("heldOutStudentError")).doubleValue()));
            assertTrue(p.map("provenance").get("scheduleConditioning").toString().startsWith("every class in turn"),
                    "the schedule follows the classes the student learns");
            Path x = dir.resolve("x.npy");
            String[] smp = run("sample", "--model", student.toString(), "--sampler", "euler", "--param", "grid=list",
                    "--param", "times=" + times.get(0) + "," + times.get(1) + "," + times.get(2), "--steps", "2",
                    "--n", "2", "--prompt", "Sneaker", "--out", x.toString(), "--quiet");
            assertEquals("0", smp[0], smp[2]);
            assertEquals(2 * 28 * 28, Npy.read(x).data().length);
            String[] guided = run("train", "boss", "--model", "builtin:fashion-flow?cfg=2", "--steps", "2",
                    "--out", dir.resolve("g").toString());
            assertEquals("2", guided[0]);
            assertTrue(guided[2].contains("without ?cfg="), guided[2]);
        } finally {
            if (old == null) {
                System.clearProperty("flowbench.cache");
            } else {
                System.setProperty("flowbench.cache", old);
            }
        }
    }

    @Test
    void fkcAnnealExampleRuns(@TempDir Path dir) throws Exception {
        Path repo = Path.of(System.getProperty("flowbench.repo", "..")).toAbsolutePath();
        Path spec = repo.resolve("docs/examples/anneal.json");
        Path out = dir.resolve("x.npy");
        String[] r = run("sample", "--model", spec.toString(), "--sampler", "fkc", "--param", "target=anneal",
                "--param", "beta=2", "--param", "particles=4000", "--param", "output=all", "--n", "4000", "--steps",
                "200", "--out", out.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
        Npy.Array a = Npy.read(out);
        double below = 0;
        double[] x = a.data();
        for (double v : x) {
            below += v < 0 ? 1 : 0;
        }
        // p^2 of ½N(−2, 0.3²) + ½N(2, 1): P(x < 0) = 0.770 (the unweighted SDE gives 0.56)
        assertEquals(0.77, below / x.length, 0.04);
    }
}
