package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.api.Test;

class StreamingFidTest {
    @Test
    void liveFidEqualsBatchFidAndKidUsesTheReservoir() {
        int d = 6;
        int n = 2300;
        double[] ref = NoiseSource.gaussian(1, 0, 0, 3000 * d);
        GaussianStats rs = new GaussianStats(d);
        rs.addBatch(ref, 3000);
        Frechet.Reference r = new Frechet.Reference(rs);
        double[] gen = NoiseSource.gaussian(2, 0, 0, n * d);
        for (int i = 0; i < gen.length; i++) {
            gen[i] = 0.2 + 1.1 * gen[i];
        }
        StreamingFid live = new StreamingFid(r, 500, ref, 3000, 400, 7, Linalg.get());
        int at = 0;
        int[] batches = {1, 99, 700, 1, 1000, 499};
        for (int b : batches) {
            live.add(java.util.Arrays.copyOfRange(gen, at * d, (at + b) * d), b);
            at += b;
        }
        assertEquals(n, at);
        assertEquals(n, live.count());
        GaussianStats all = new GaussianStats(d);
        all.addBatch(gen, n);
        StreamingFid.Snapshot s = live.snapshot();
        assertEquals(r.distanceTo(all), s.fid(), 1e-10);
        assertTrue(Double.isFinite(s.fidInfinity()));
        assertNotNull(s.kid());
        assertEquals(400, s.kid().subsetSize());
        assertTrue(s.kid().mean() > 0, s.kid().toString());
        // same seed and order → same snapshot
        StreamingFid again = new StreamingFid(r, 500, ref, 3000, 400, 7, Linalg.get());
        again.add(gen, n);
        assertEquals(s.kid(), again.snapshot().kid());
    }
}
