package org.flowbench.engine.model.analytic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Built-in analytic mixtures, offered by {@code flowbench models} and the workbench as {@code builtin:NAME}. */
public final class Presets {
    private Presets() {}

    /** A preset: a name, a one-line description and its spec. */
    public record Preset(String name, String description, MixtureSpec spec) {}

    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        add("2modes", "2-D, two modes ½N((±4, 0), 0.5²I), labelled left/right (for guidance)",
                new MixtureSpec("rectified-flow", new double[] {0.5, 0.5}, new double[][] {{-4, 0}, {4, 0}},
                        new double[] {0.5, 0.5}, new int[] {0, 1}, List.of("left", "right"), 0.01, 10));
        add("3modes", "2-D, three unequal modes (weights 0.2/0.3/0.5)",
                MixtureSpec.of("rectified-flow", new double[] {0.2, 0.3, 0.5},
                        new double[][] {{-3, 0}, {3, 1}, {0, 3.5}}, new double[] {0.5, 0.4, 0.6}));
        double[][] ring = new double[8][];
        double[] w = new double[8];
        double[] s = new double[8];
        int[] labels = new int[8];
        for (int j = 0; j < 8; j++) {
            double a = 2 * Math.PI * j / 8;
            ring[j] = new double[] {4 * Math.cos(a), 4 * Math.sin(a)};
            w[j] = 1.0 / 8;
            s[j] = 0.3;
            labels[j] = j;
        }
        add("8ring", "2-D, eight equal modes on a circle of radius 4, s = 0.3, one class each",
                new MixtureSpec("rectified-flow", w, ring, s, labels, null, 0.01, 10));
        double[][] checker = new double[8][];
        double[] cw = new double[8];
        double[] cs = new double[8];
        int at = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if ((i + j) % 2 == 0) {
                    checker[at] = new double[] {-3 + 2 * i, -3 + 2 * j};
                    cw[at] = 1.0 / 8;
                    cs[at] = 0.35;
                    at++;
                }
            }
        }
        add("checker", "2-D, checker-ish: eight modes on alternate cells of a 4×4 board",
                MixtureSpec.of("rectified-flow", cw, checker, cs));
        add("boss-toy", "2-D, the BOSS test mixture: π = (0.3, 0.7), μ = (−3, 0), (3, 1), s = (0.5, 0.3)",
                MixtureSpec.of("rectified-flow", new double[] {0.3, 0.7}, new double[][] {{-3, 0}, {3, 1}},
                        new double[] {0.5, 0.3}));
        add("3modes-vp", "the 3modes mixture on the VP-SDE path (score model, for Euler–Maruyama)",
                PRESETS.get("3modes").spec().withPath("vp"));
        add("3modes-ve", "the 3modes mixture on the VE path, σ from 10 to 0.01",
                PRESETS.get("3modes").spec().withPath("ve"));
    }

    private static void add(String name, String description, MixtureSpec spec) {
        PRESETS.put(name, new Preset(name, description, spec));
    }

    public static Map<String, Preset> all() {
        return java.util.Collections.unmodifiableMap(PRESETS);
    }

    public static Preset get(String name) {
        return PRESETS.get(name);
    }
}
