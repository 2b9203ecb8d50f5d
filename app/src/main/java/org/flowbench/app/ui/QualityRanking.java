package org.flowbench.app.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Which quality figure heads a lane, and how lanes rank (docs/metrics.md). Below {@value #FID_FROM} images the
 * headline is KID: unbiased, so its value at small N already estimates the large-N figure, where FID's bias
 * dominates. From there on it is FID. Ranks come from the run's paired KID comparisons when it has them
 * ({@code kidRank}, {@code kidRankResolved}: lanes compared image by image, see Session); otherwise a lane is ranked
 * only against lanes with the same headline and only by intervals that do not overlap. Either way its rank is one
 * plus the number of lanes certainly better, and a lane nothing separates from any other is "not resolved".
 */
final class QualityRanking {
    static final int FID_FROM = 2000;

    /** The headline figure of a lane: metric name, value and interval; null when the lane has none yet. */
    record Headline(String metric, double value, double lo, double hi) {}

    private QualityRanking() {}

    static Headline headline(ToDoubleFunction<String> metric) {
        double images = metric.applyAsDouble("images");
        boolean small = !(images >= FID_FROM);
        Headline kid = of("kid", metric);
        Headline fid = of("fid", metric);
        if (small && kid != null) {
            return kid;
        }
        return fid != null ? fid : kid;
    }

    private static Headline of(String name, ToDoubleFunction<String> metric) {
        double v = metric.applyAsDouble(name);
        double lo = metric.applyAsDouble(name + "Low");
        double hi = metric.applyAsDouble(name + "High");
        return Double.isFinite(v) && Double.isFinite(lo) && Double.isFinite(hi) ? new Headline(name, v, lo, hi) : null;
    }

    /** The badge from the run's paired comparison ("rank k" or "not resolved"), or null when it has none. */
    static String pairedBadge(ToDoubleFunction<String> metric) {
        double rank = metric.applyAsDouble("kidRank");
        if (!Double.isFinite(rank)) {
            return null;
        }
        return metric.applyAsDouble("kidRankResolved") > 0 ? "rank " + (long) rank : "not resolved";
    }

    /** Badges for these lanes: paired ranks where the run has them, interval ranks of the headlines otherwise. */
    static List<String> badgesFor(List<ToDoubleFunction<String>> lanes) {
        List<String> byInterval = badges(lanes.stream().map(QualityRanking::headline).toList());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            String paired = pairedBadge(lanes.get(i));
            out.add(paired != null ? paired : byInterval.get(i));
        }
        return out;
    }

    /**
     * One badge per headline (in order): "rank k" (lanes whose intervals overlap can share a rank), "not resolved",
     * or "" with no headline or no rival.
     */
    static List<String> badges(List<Headline> lanes) {
        List<String> out = new ArrayList<>();
        for (Headline h : lanes) {
            if (h == null) {
                out.add("");
                continue;
            }
            int better = 0;
            int worse = 0;
            int rivals = 0;
            for (Headline o : lanes) {
                if (o == null || o == h || !o.metric().equals(h.metric())) {
                    continue;
                }
                rivals++;
                if (o.hi() < h.lo()) {
                    better++;
                } else if (h.hi() < o.lo()) {
                    worse++;
                }
            }
            if (rivals == 0) {
                out.add("");
            } else if (better == 0 && worse == 0) {
                out.add("not resolved");
            } else {
                out.add("rank " + (better + 1));
            }
        }
        return out;
    }
}
