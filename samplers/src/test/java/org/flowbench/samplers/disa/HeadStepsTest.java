package org.flowbench.samplers.disa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.flowbench.samplers.disa.HeadSteps.Strategy;
import org.junit.jupiter.api.Test;

/** The exact integer sequences of DiSA's schedules and MAR's mask schedule (method reference §3.2, §3.3, §4.4.1). */
class HeadStepsTest {
    private static int sum(int[] a) {
        return Arrays.stream(a).sum();
    }

    @Test
    void marSchedulesAtK64From50To5() {
        int[] linear = HeadSteps.mar(Strategy.LINEAR, 64, 50, 5);
        assertEquals(50, linear[0]);
        assertEquals(49, linear[1]);
        assertEquals(5, linear[62]);
        assertEquals(5, linear[63]);
        assertEquals(1733, sum(linear));
        assertEquals(1729, sum(HeadSteps.mar(Strategy.COSINE, 64, 50, 5)));
        int[] twoStage = HeadSteps.mar(Strategy.TWO_STAGE, 64, 50, 5);
        assertEquals(1760, sum(twoStage));
        for (int k = 0; k < 64; k++) {
            assertEquals(k <= 31 ? 50 : 5, twoStage[k], "two-stage at k = " + k);
        }
        assertEquals(64 * 5, sum(HeadSteps.mar(Strategy.CONSTANT, 64, 50, 5)));
        assertEquals(64 * 50, sum(HeadSteps.mar(Strategy.CONSTANT, 64, 50, 50)), "constant-50 = upper 50 lower 50");
    }

    @Test
    void flowArAndXarRules() {
        int[] flowAr = new int[5];
        int[] flowAr50 = new int[5];
        for (int k = 0; k < 5; k++) {
            flowAr[k] = HeadSteps.flowAr(k, 5, 25, 15);
            flowAr50[k] = HeadSteps.flowAr(k, 5, 50, 15);
        }
        assertArrayEquals(new int[] {25, 22, 20, 17, 15}, flowAr);
        assertArrayEquals(new int[] {50, 41, 32, 23, 15}, flowAr50);
        int[] xar = new int[4];
        for (int k = 0; k < 4; k++) {
            xar[k] = HeadSteps.xar(k, 4, 50, 15);
        }
        assertArrayEquals(new int[] {50, 38, 26, 15}, xar);
    }

    @Test
    void marRespacingWithTheTimeOffsetClip() {
        int[] t50 = HeadSteps.marRespacing(50, 950);
        assertEquals(48, t50.length);
        assertEquals(950, t50[t50.length - 1]);
        assertEquals(0, t50[0]);
        assertEquals(24, HeadSteps.marRespacing(25, 950).length);
        assertEquals(96, HeadSteps.marRespacing(100, 950).length);
        assertEquals(5, HeadSteps.marRespacing(5, 950).length);
        assertEquals(10, HeadSteps.marRespacing(10, 950).length);
        int[] free = HeadSteps.marRespacing(50, 1001);
        assertEquals(50, free.length);
        assertEquals(999, free[49]);
    }

    @Test
    void cosineMaskScheduleAndTheCostModel() {
        int[] k16 = MaskSchedule.tokensPerStep(49, 16);
        assertArrayEquals(new int[] {1, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 5, 4, 5, 5, 4}, k16);
        assertArrayEquals(new int[] {1, 3, 5, 6, 7, 9, 9, 9}, MaskSchedule.tokensPerStep(49, 8));
        int[] linear = HeadSteps.mar(Strategy.LINEAR, 16, 50, 5);
        assertEquals(440, sum(linear));
        assertEquals(800, sum(HeadSteps.mar(Strategy.CONSTANT, 16, 50, 50)));
        assertEquals(1052, weighted(linear, k16));
        assertEquals(2450, weighted(HeadSteps.mar(Strategy.CONSTANT, 16, 50, 50), k16));
        assertEquals(0.40, weighted(HeadSteps.mar(Strategy.COSINE, 16, 50, 5), k16) / 2450.0, 0.005);
        assertEquals(0.38, weighted(HeadSteps.mar(Strategy.TWO_STAGE, 16, 50, 5), k16) / 2450.0, 0.005);
    }

    @Test
    void linearGuidanceRisesToTheFullScale() {
        assertEquals(1.0, MaskSchedule.linearGuidance(3.0, 49, 49), 0);
        assertEquals(3.0, MaskSchedule.linearGuidance(3.0, 49, 0), 0);
        assertEquals(2.0, MaskSchedule.linearGuidance(3.0, 48, 24), 1e-15);
    }

    static int weighted(int[] steps, int[] tokens) {
        int s = 0;
        for (int k = 0; k < steps.length; k++) {
            s += steps[k] * tokens[k];
        }
        return s;
    }
}
