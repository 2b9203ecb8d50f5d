package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.MlpFlowModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.run.CancellationToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * §4.2.4: a 3 → 128 → 128 → 2 SiLU teacher trained by flow matching on builtin:boss-toy, fine-tuned on the chords of
 * its K = 2 Bellman schedule: the held-out 2-step error against the teacher's 100-step endpoint falls ≥ 5×, and is
 * below that of Distill-2-Reflow trained for as many iterations.
 */
class BossStraightenTest {
    @Test
    @Tag("slow")
    void straighteningCutsTheKStepErrorFiveFold(@TempDir Path dir) throws Exception {
        String old = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", dir.resolve("cache").toString());
        try (FlowModel mixture = Models.open("builtin:boss-toy")) {
            KnownDistribution g = mixture.require(KnownDistribution.class, "the teacher");
            VelocityMlp net = new VelocityMlp(2, 128);
            ParamStore tw = BossStraighten.trainTeacher(g, net,
                    new BossStraighten.Settings(400, 256, 1e-3, 100, 0.999, 1), null, CancellationToken.NONE);
            FlowModel teacher = BossStraighten.model("teacher", net, tw);
            // the teacher is a flow of the mixture: its 100-step samples put ≈ 30 % of the mass in the left mode
            double[] x0 = new double[4000];
            for (int i = 0; i < 2000; i++) {
                org.flowbench.engine.random.NoiseSource.gaussian(5, i, 0, x0, 2 * i, 2);
            }
            double[] xs = BossStraighten.euler(teacher, BossCost.fineGrid(teacher.path(), 100), x0, 2000, null);
            int left = 0;
            for (int i = 0; i < 2000; i++) {
                left += xs[2 * i] < 0 ? 1 : 0;
            }
            assertEquals(0.3, left / 2000.0, 0.05);

            BossSchedule s = BossSchedule.get(teacher, 2, 100, 100, 0, CancellationToken.NONE);
            BossStraighten.Tuples data = BossStraighten.tuples(teacher, s, 2000, 11, 0);
            assertEquals(4000, data.n());
            ParamStore sw = BossStraighten.fineTune(BossStraighten.model("teacher", net, tw), tw, data,
                    new BossStraighten.Settings(400, 64, 1e-3, 100, 0.999, 2), null, CancellationToken.NONE);
            FlowModel student = BossStraighten.model("student", net, sw);
            double et = BossStraighten.endpointError(teacher, s.times(), teacher, 100, 2000, 777, 0);
            double es = BossStraighten.endpointError(student, s.times(), teacher, 100, 2000, 777, 0);
            assertTrue(es * 5 <= et, "student " + es + " vs teacher " + et);
            // Distill-K-Reflow (straight-line targets at t = k/K, uniform K-step sampling), same iterations
            ParamStore rw = BossStraighten.fineTune(BossStraighten.model("teacher", net, tw), tw,
                    BossStraighten.reflowTuples(teacher, 2, 100, 2000, 11),
                    new BossStraighten.Settings(400, 64, 1e-3, 100, 0.999, 2), null, CancellationToken.NONE);
            double er = BossStraighten.endpointError(BossStraighten.model("reflow", net, rw), new double[] {0, 0.5, 1},
                    teacher, 100, 2000, 777, 0);
            assertTrue(es < er, "BOSS " + es + " vs Distill-2-Reflow " + er);

            // the package records parent, K and times, and opens as the same model
            Path pkg = dir.resolve("student");
            BossStraighten.writePackage(pkg, net, sw, teacher, "teacher-ref", s, Map.of("test", true));
            FlowModel back = Models.open(pkg.toString());
            assertTrue(back instanceof MlpFlowModel);
            double[] x = {0.3, -1.2, 2.0, 0.5};
            double[] a = new double[4];
            double[] b = new double[4];
            student.velocity(x, 2, 0.4, null, a);
            back.velocity(x, 2, 0.4, null, b);
            assertArrayEquals(a, b);
            Map<String, Object> boss = ModelPackage.open(pkg).map("boss");
            assertEquals("teacher-ref", boss.get("parent"));
            assertEquals(2, ((Number) boss.get("steps")).intValue());
            assertEquals(3, ((List<?>) boss.get("times")).size());
        } finally {
            if (old == null) {
                System.clearProperty("flowbench.cache");
            } else {
                System.setProperty("flowbench.cache", old);
            }
            BossSchedule.clearMemory();
        }
    }

    @Test
    void mlpJavaEvaluationMatchesTheDjlGraph() {
        VelocityMlp net = new VelocityMlp(2, 16);
        ParamStore w = net.init(3);
        double[] x = {0.3, -1.2, 2.0, 0.5, -0.7, 0.1};
        double[] t = {0.1, 0.5, 0.9};
        double[] out = new double[6];
        net.evaluate(w, x, 3, t, out);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] in = new float[9];
            for (int i = 0; i < 3; i++) {
                in[3 * i] = (float) x[2 * i];
                in[3 * i + 1] = (float) x[2 * i + 1];
                in[3 * i + 2] = (float) t[i];
            }
            float[] v = net.forward(w.materialize(m, false), m.create(in, new ai.djl.ndarray.types.Shape(3, 3)))
                    .toFloatArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(v[i], out[i], 1e-5);
            }
        }
    }
}
