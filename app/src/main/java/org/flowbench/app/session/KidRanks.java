package org.flowbench.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ranks the lanes of one run by KID compared pair by pair (KidEstimator#difference: lanes of a run share their noises
 * and prompts image by image, so most sampling noise cancels in a difference). Only lanes measured against the same
 * reference at the same, largest sample count are ranked. A lane's rank is one plus the number of lanes whose KID is
 * lower with a 95 % interval of the difference that excludes 0; it is resolved when any of its differences excludes 0.
 * Published as the lane metrics {@code kidRank} and {@code kidRankResolved} (1 or 0).
 */
final class KidRanks {
    private KidRanks() {}

    /** Per lane (null: no KID, or a failed lane), its rank metrics; empty maps for lanes not ranked. */
    static List<Map<String, Double>> of(List<QualityEvaluator.KidSums> lanes) {
        List<Map<String, Double>> out = new ArrayList<>();
        lanes.forEach(l -> out.add(Map.of()));
        int n = lanes.stream().filter(k -> k != null).mapToInt(k -> k.sums().n()).max().orElse(0);
        List<Integer> ranked = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            QualityEvaluator.KidSums k = lanes.get(i);
            if (k != null && k.sums().n() == n && (ranked.isEmpty()
                    || k.reference() == lanes.get(ranked.get(0)).reference())) {
                ranked.add(i);
            }
        }
        if (ranked.size() < 2) {
            return out;
        }
        int[] better = new int[ranked.size()];
        boolean[] resolved = new boolean[ranked.size()];
        for (int a = 0; a < ranked.size(); a++) {
            for (int b = a + 1; b < ranked.size(); b++) {
                QualityEvaluator.KidSums ka = lanes.get(ranked.get(a));
                QualityEvaluator.KidSums kb = lanes.get(ranked.get(b));
                org.flowbench.engine.metrics.KidEstimator.Estimate d = ka.reference().difference(ka.sums(),
                        kb.sums(), 0.95);
                if (d.lo() > 0) { // a's KID is higher: b is better
                    better[a]++;
                } else if (d.hi() < 0) {
                    better[b]++;
                } else {
                    continue;
                }
                resolved[a] = true;
                resolved[b] = true;
            }
        }
        for (int a = 0; a < ranked.size(); a++) {
            out.set(ranked.get(a), Map.of("kidRank", 1.0 + better[a], "kidRankResolved", resolved[a] ? 1.0 : 0.0));
        }
        return out;
    }
}
