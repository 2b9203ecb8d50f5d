package org.flowbench.samplers.onestep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teacher pairs: the samplers' own noise and ODE solution, balanced labels, resumable with identical results. */
class TeacherPairsTest {
    @Test
    void pairsAreTheTeachersSolutionsAndResumeIdentically(@TempDir Path dir) throws Exception {
        try (FlowModel m = Models.open("builtin:2modes")) {
            TeacherPairs.Settings s = new TeacherPairs.Settings("builtin:2modes", m.hash(), 10, "heun", 4, 7, 4);
            Path a = dir.resolve("a");
            assertTrue(TeacherPairs.generate(m, s, 3, a, "test", (d, t, b, sec) -> { }, CancellationToken.NONE));
            TeacherPairs.Pairs p = TeacherPairs.load(a);
            assertEquals(10, p.n());
            assertArrayEquals(new int[] {0, 1, -1, 0, 1, -1, 0, 1, -1, 0}, p.labels());
            assertFalse(Files.exists(a.resolve("chunks")), "chunks are removed once the set is complete");
            // z is image i's initial noise, x1 the heun sampler's result from it
            SampleBatch ref = TeacherPairs.solver(s).sample(new SamplingRequest(7, 0, 10, 10, p.labels(), 0), m,
                    ProgressListener.NONE, CancellationToken.NONE);
            for (int i = 0; i < 10; i++) {
                double[] z = NoiseSource.gaussian(7, i, 0, 2);
                for (int k = 0; k < 2; k++) {
                    assertEquals((float) z[k], p.z()[2 * i + k]);
                    assertEquals((float) ref.samples()[2 * i + k], p.x1()[2 * i + k]);
                }
            }
            assertEquals(8.0, ((Number) p.manifest().get("nfePerPair")).doubleValue());

            // stopped after the first chunk, then resumed: the same set
            Path b = dir.resolve("b");
            CancellationToken stop = new CancellationToken();
            assertFalse(TeacherPairs.generate(m, s, 5, b, "test", (d, t, before, sec) -> stop.cancel(), stop));
            assertThrows(FlowbenchException.class, () -> TeacherPairs.load(b), "incomplete sets do not load");
            assertTrue(TeacherPairs.generate(m, s, 5, b, "test", (d, t, before, sec) -> { }, CancellationToken.NONE));
            TeacherPairs.Pairs q = TeacherPairs.load(b);
            assertArrayEquals(p.z(), q.z());
            assertArrayEquals(p.x1(), q.x1());

            // other settings into the same folder: one clear error
            TeacherPairs.Settings other = new TeacherPairs.Settings("builtin:2modes", m.hash(), 10, "heun", 8, 7, 4);
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> TeacherPairs.generate(m, other, 5, b,
                    "test", (d, t, before, sec) -> { }, CancellationToken.NONE));
            assertTrue(e.getMessage().contains("holds pairs made with"), e.getMessage());
        }
        assertThrows(FlowbenchException.class, () -> new TeacherPairs.Settings("x", "h", 10, "euler", 4, 0, 4));
    }

    /** Swapping the two coordinates is a symmetry of 8ring's unconditional flow, not of 2modes'. */
    @Test
    void flipCheckMeasuresEquivariance() {
        try (FlowModel ring = Models.open("builtin:8ring"); FlowModel two = Models.open("builtin:2modes")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) TeacherPairs.flipCheck(ring, 45, 20, 1).get("relativeGapPerLabel");
            assertTrue((Double) r.get("unconditional") < 1e-9, "8ring: " + r);
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) TeacherPairs.flipCheck(two, 45, 20, 1).get("relativeGapPerLabel");
            assertTrue((Double) t.get("unconditional") > 0.3, "2modes: " + t);
        }
    }

    @Test
    void flipMirrorsTheLastAxis() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        TeacherPairs.flipW(x, 2, new int[] {1, 2, 3});
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, x);
        float[] f = {1, 2, 3, 4};
        TeacherPairs.flipW(f, 2);
        assertArrayEquals(new float[] {2, 1, 4, 3}, f);
    }
}
