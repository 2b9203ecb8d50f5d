package org.flowbench.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Percentiles per image only from enough batches; a mean and the slowest batch below that. */
class LatencyTrackerTest {
    @Test
    void percentilesNeedTwentyWarmBatches() {
        LatencyTracker t = new LatencyTracker();
        t.add(16, 5_000_000_000L, 16); // cold
        t.add(16, 160_000_000L, 16); // 10 ms per image
        Map<String, Double> few = t.summary();
        assertFalse(few.containsKey("p50Ms"), "p50 would equal p95 from one batch: " + few);
        assertEquals(10, few.get("meanMs"), 1e-6);
        assertEquals(10, few.get("maxMs"), 0.05);
        assertEquals(1, few.get("latencyBatches"));
        for (int b = 2; b <= 20; b++) {
            t.add(16, 16_000_000L * (10 + b % 7), 16); // 10 … 16 ms per image
        }
        Map<String, Double> many = t.summary();
        assertEquals(20, many.get("latencyBatches"));
        assertTrue(many.get("p50Ms") < many.get("p95Ms"), many.toString());
        assertTrue(many.get("p95Ms") <= many.get("p99Ms") && many.get("p99Ms") <= 16.1, many.toString());
        assertTrue(!many.containsKey("loadPerCore") || many.get("loadPerCore") >= 0);
    }
}
