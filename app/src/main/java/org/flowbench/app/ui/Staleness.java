package org.flowbench.app.ui;

import java.util.Map;

/**
 * Whether a lane's results were made with other settings than the window now shows: another seed, prompt or N, or
 * other values of the sampler parameters the user set. Read from the lane's run record (what actually ran), so it holds after a project is
 * reopened too. A stale lane keeps its figures, marked, until it runs again.
 */
final class Staleness {
    private Staleness() {}

    /** Why the lane's results no longer match the settings ("seed 3, now 0"), or null when they match. */
    static String reason(LaneViewModel lane, long seed, int n, String prompt) {
        Map<String, Object> rec = lane.recordProperty().get();
        if (rec == null || rec.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        Object s = rec.get("seed");
        if (s instanceof Number num && num.longValue() != seed) {
            append(sb, "seed " + num.longValue() + ", now " + seed);
        }
        Object p = rec.get("prompt");
        if (p != null && !p.toString().equals(prompt == null ? "" : prompt)) {
            append(sb, "prompt \"" + p + "\", now \"" + (prompt == null ? "" : prompt) + "\"");
        }
        double images = lane.metric("images");
        if (lane.statusProperty().get() == org.flowbench.app.session.LaneStatus.DONE && Double.isFinite(images)
                && (long) images != n) {
            append(sb, "N " + (long) images + ", now " + n);
        }
        if (rec.get("params") instanceof Map<?, ?> ran) {
            // the parameters the user set (resolved defaults may be written differently in the record)
            lane.toSpec().params().forEach((name, now) -> {
                Object was = ran.get(name);
                if ((was instanceof Number || was instanceof String || was instanceof Boolean)
                        && !sameValue(was.toString(), now)) {
                    append(sb, name + " " + was + ", now " + now);
                }
            });
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static void append(StringBuilder sb, String s) {
        sb.append(sb.length() == 0 ? "" : "; ").append(s);
    }

    /** Equal as text, or as numbers ("8" and "8.0"). */
    static boolean sameValue(String a, String b) {
        if (a.equals(b.trim())) {
            return true;
        }
        try {
            return Double.parseDouble(a) == Double.parseDouble(b.trim());
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
