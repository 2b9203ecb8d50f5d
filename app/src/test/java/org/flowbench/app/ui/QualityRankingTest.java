package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityRankingTest {
    private static QualityRanking.Headline kid(double v, double lo, double hi) {
        return new QualityRanking.Headline("kid", v, lo, hi);
    }

    @Test
    void onlySeparatedIntervalsRank() {
        List<QualityRanking.Headline> h = Arrays.asList(kid(1, 0.8, 1.2), kid(2, 1.7, 2.3), kid(2.1, 1.9, 2.4),
                kid(5, 4, 6), null);
        assertEquals(List.of("rank 1", "rank 2", "rank 2", "rank 4", ""), QualityRanking.badges(h));
        assertEquals(List.of("not resolved", "not resolved"), QualityRanking.badges(List.of(kid(1, 0, 2),
                kid(1.5, 0.5, 2.5))));
        assertEquals(List.of(""), QualityRanking.badges(List.of(kid(1, 0, 2))), "no rival");
        // lanes headed by different figures are not compared
        assertEquals(List.of("", ""), QualityRanking.badges(List.of(kid(1, 0.9, 1.1),
                new QualityRanking.Headline("fid", 50, 40, 60))));
    }

    @Test
    void pairedRanksComeFirst() {
        Map<String, Double> paired = Map.of("kidRank", 2.0, "kidRankResolved", 1.0, "kid", 1.0, "kidLow", 0.0,
                "kidHigh", 2.0);
        Map<String, Double> unresolved = Map.of("kidRank", 1.0, "kidRankResolved", 0.0, "kid", 1.1, "kidLow", 0.1,
                "kidHigh", 2.1);
        Map<String, Double> intervalsOnly = Map.of("kid", 5.0, "kidLow", 4.5, "kidHigh", 5.5);
        java.util.function.ToDoubleFunction<String> a = k -> paired.getOrDefault(k, Double.NaN);
        java.util.function.ToDoubleFunction<String> b = k -> unresolved.getOrDefault(k, Double.NaN);
        java.util.function.ToDoubleFunction<String> c = k -> intervalsOnly.getOrDefault(k, Double.NaN);
        assertEquals(List.of("rank 2", "not resolved", "rank 3"), QualityRanking.badgesFor(List.of(a, b, c)));
        assertNull(QualityRanking.pairedBadge(c));
    }

    @Test
    void kidHeadsSmallRunsAndFidLargeOnes() {
        Map<String, Double> small = Map.of("images", 64.0, "kid", 0.01, "kidLow", 0.005, "kidHigh", 0.015,
                "fid", 80.0, "fidLow", 70.0, "fidHigh", 95.0);
        assertEquals("kid", QualityRanking.headline(k -> small.getOrDefault(k, Double.NaN)).metric());
        Map<String, Double> large = new java.util.HashMap<>(small);
        large.put("images", 2000.0);
        assertEquals("fid", QualityRanking.headline(k -> large.getOrDefault(k, Double.NaN)).metric());
        Map<String, Double> fidOnly = Map.of("images", 64.0, "fid", 1.0, "fidLow", 0.5, "fidHigh", 2.0);
        assertEquals("fid", QualityRanking.headline(k -> fidOnly.getOrDefault(k, Double.NaN)).metric());
        assertNull(QualityRanking.headline(k -> Double.NaN));
    }

    @Test
    void intervalsAreWrittenAsIntervals() {
        assertEquals("219.5 [190.1, 260.0]", Fmt.withInterval(219.5, 190.12, 260, 4));
        assertEquals("1.23", Fmt.withInterval(1.234, Double.NaN, 2, 3));
    }
}
