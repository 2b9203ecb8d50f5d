package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;

class QuantisationTest {
    @Test
    void uint8MapsToTheLevelsAnEightBitImageDecodesTo() {
        // every 8-bit level, as SampleSets decodes it (v/255·2 − 1), is a fixed point
        for (int v = 0; v <= 255; v++) {
            double x = v / 255.0 * 2 - 1;
            assertEquals(x, Quantisation.uint8(x), 1e-15, "level " + v);
            assertEquals(v, Quantisation.level(x), 0.0);
            // within less than half a level on either side it rounds to the same level
            assertEquals(v, Quantisation.level(Math.max(-1, x - 0.49 / 127.5)));
            assertEquals(v, Quantisation.level(Math.min(1, x + 0.49 / 127.5)));
        }
        assertEquals(-1.0, Quantisation.uint8(-3.0));
        assertEquals(1.0, Quantisation.uint8(7.0));
        assertTrue(Double.isNaN(Quantisation.uint8(Double.NaN)), "a broken sample stays visible");
        // the torchscript extractor quantises through the same function
        assertEquals(128.0, TorchScriptFeatures.quantise(0.0039));
    }

    @Test
    void labelsFromTheStatisticsIdentity() {
        double[] x = {0.1, -0.5};
        assertArrayEquals(new double[] {0.1, -0.5}, Quantisation.applied(Quantisation.FLOAT, x, 2));
        assertArrayEquals(new double[] {0.1, -0.5}, Quantisation.applied("-", x, 2));
        assertArrayEquals(new double[] {Math.rint(1.1 * 127.5) / 127.5 - 1, Math.rint(0.5 * 127.5) / 127.5 - 1},
                Quantisation.applied(Quantisation.UINT8, x, 2));
        assertEquals(0.1, x[0], "applied copies");
        assertThrows(FlowbenchException.class, () -> Quantisation.quantises("int4"));
    }
}
