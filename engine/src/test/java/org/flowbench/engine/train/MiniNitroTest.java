package org.flowbench.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.run.CancellationToken;
import org.junit.jupiter.api.Test;

/**
 * Mini-Nitro (§6.4 N2) at test scale: against a small dynamic pool the one-step generator moves onto the 8ring
 * (FD far below the untrained generator's, most modes covered); runs are deterministic for a seed; a refreshed head
 * starts over (new weights, zero moments and count).
 */
class MiniNitroTest {
    @Test
    void aSmallPoolTeachesTheGeneratorTheRing() {
        try (FlowModel m = Models.open("builtin:8ring")) {
            KnownDistribution k = m.as(KnownDistribution.class).orElseThrow();
            // a smaller pool and a larger lr than the study's defaults, so that the test takes seconds
            MiniNitro.Settings s = new MiniNitro.Settings(1500, 256, 4, 4, 2, 0.02, 1e-3, 128, 3, 1500, 4000);
            double untrained = MiniNitro.evaluate(k, MiniNitro.generator(2, 128, 3), s, 0, Double.NaN, 0).fd();
            List<MiniNitro.Point> curve = MiniNitro.run(k, s, p -> {}, new CancellationToken());
            MiniNitro.Point end = curve.get(curve.size() - 1);
            assertEquals(1500, end.step());
            assertTrue(end.fd() < 0.25 * untrained, "FD " + end.fd() + " vs untrained " + untrained);
            assertTrue(end.modesCovered() >= 6, "modes " + end.modesCovered());
            List<MiniNitro.Point> again = MiniNitro.run(k, new MiniNitro.Settings(40, 64, 4, 4, 2, 0.02, 1e-3, 32,
                    3, 40, 500), p -> {}, new CancellationToken());
            List<MiniNitro.Point> twice = MiniNitro.run(k, new MiniNitro.Settings(40, 64, 4, 4, 2, 0.02, 1e-3, 32,
                    3, 40, 500), p -> {}, new CancellationToken());
            assertEquals(again.get(0).fd(), twice.get(0).fd(), 0.0, "deterministic for a seed");
        }
    }

    @Test
    void modesCoveredCountsModesWithTheirShare() {
        try (FlowModel m = Models.open("builtin:8ring")) {
            KnownDistribution k = m.as(KnownDistribution.class).orElseThrow();
            assertEquals(8, MiniNitro.modesCovered(k, k.sampleData(1, 4000, -1), 4000));
            double[] one = new double[2 * 1000];
            for (int i = 0; i < 1000; i++) {
                one[2 * i] = 4;
            }
            assertEquals(1, MiniNitro.modesCovered(k, one, 1000));
        }
    }

    @Test
    void aResetHeadStartsOver() {
        ParamStore h = MiniNitro.head(new java.util.SplittableRandom(1));
        try (StepTrainer tr = new StepTrainer(0)) {
            tr.add("h", h, Adam.defaults(1e-2));
            tr.step(List.of("h"), (nd, p, r) -> p.get("h").get("h2.bias").sum());
            assertEquals(1, tr.group("h").updates());
            ParamStore fresh = MiniNitro.head(new java.util.SplittableRandom(2));
            tr.reset("h", fresh);
            assertEquals(0, tr.group("h").updates());
            assertEquals(fresh.get("h1.weight")[0], tr.group("h").params().get("h1.weight")[0]);
        }
    }
}
