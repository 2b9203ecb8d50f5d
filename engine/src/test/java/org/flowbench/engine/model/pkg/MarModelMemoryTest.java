package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.Models;
import org.junit.jupiter.api.Test;

/**
 * The shipped tiny MAR frees everything a call makes: the backbone and the head, called many times as DiSA calls
 * them, leave the model's manager holding what it held before (a leak of one [n, L, width] array per backbone call
 * grew a 60 000-image evaluation to 21 GB of native memory).
 */
class MarModelMemoryTest {
    @Test
    void callsLeaveNoArraysBehind() {
        try (var fm = Models.open("builtin:fashion-mar")) {
            MarModel m = (MarModel) fm;
            int n = 4;
            int l = m.tokens();
            double[] tokens = new double[n * l * m.tokenDim()];
            double[] known = new double[n * l];
            for (int i = 0; i < known.length; i += 3) {
                known[i] = 1;
            }
            Condition[] c = Condition.of(new int[] {0, 1, 2, -1}, n);
            double[] ctx = m.context(tokens, known, n, c); // first call: cached reshapes of parameters are made once
            double[] t = new double[n * l];
            m.head(new double[n * l * m.tokenDim()], t, ctx);
            int held = m.heldArrays();
            for (int k = 0; k < 5; k++) {
                ctx = m.context(tokens, known, n, c);
                m.head(new double[n * l * m.tokenDim()], t, ctx);
            }
            assertEquals(held, m.heldArrays());
        }
    }
}
