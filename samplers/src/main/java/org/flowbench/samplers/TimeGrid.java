package org.flowbench.samplers;

import java.util.Arrays;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.NoisePath;

/**
 * Step grids in generation time: uniform in t, EDM-ρ on the noise-to-signal ratio σ/α (identical to the EDM σ grid
 * on the VE path), or an explicit list. A grid of K steps has K + 1 increasing times.
 */
public final class TimeGrid {
    /** Largest σ/α an EDM grid starts from when the path's own start is pure noise (σ/α = ∞). */
    public static final double DEFAULT_RATIO_MAX = 80;
    /** Smallest σ/α an EDM grid reaches before its last step to the path's end when that end is noise-free. */
    public static final double DEFAULT_RATIO_MIN = 0.002;

    private TimeGrid() {}

    public static double[] uniform(double t0, double t1, int steps) {
        double[] t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            t[i] = t0 + (t1 - t0) * i / steps;
        }
        t[steps] = t1;
        return t;
    }

    /**
     * EDM grid: ratios λ_i = (λmax^{1/ρ} + i/(K−1)·(λmin^{1/ρ} − λmax^{1/ρ}))^ρ for i < K, mapped to times, then the
     * path's end. {@code t0} replaces the first point when the grid should start exactly at the path's start.
     */
    public static double[] edm(NoisePath path, int steps, double rho, double ratioMax, double ratioMin, boolean startAtPathStart) {
        double lMax = Math.min(ratioMax, path.ratio(path.tStart()));
        double endRatio = path.ratio(path.tEnd());
        boolean endIsClean = !(endRatio > 0);
        double lMin = endIsClean ? ratioMin : Math.max(ratioMin, endRatio);
        double[] t = new double[steps + 1];
        int points = endIsClean ? steps : steps + 1;
        for (int i = 0; i < points; i++) {
            double f = points == 1 ? 0 : (double) i / (points - 1);
            double l = Math.pow(Math.pow(lMax, 1 / rho) + f * (Math.pow(lMin, 1 / rho) - Math.pow(lMax, 1 / rho)), rho);
            t[i] = path.tOfRatio(l);
        }
        t[steps] = path.tEnd();
        if (startAtPathStart) {
            t[0] = path.tStart();
        }
        check(t);
        return t;
    }

    /** Parses a comma-separated list of increasing times; it must have steps + 1 entries. */
    public static double[] list(String text, int steps, NoisePath path) {
        double[] t;
        try {
            t = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new FlowbenchException("times: '" + text + "' is not a comma-separated list of numbers");
        }
        if (t.length != steps + 1) {
            throw new FlowbenchException("times: " + steps + " steps need " + (steps + 1) + " times, got " + t.length);
        }
        if (t[0] < path.tStart() - 1e-12 || t[steps] > path.tEnd() + 1e-12) {
            throw new FlowbenchException("times must lie in [" + path.tStart() + ", " + path.tEnd() + "]");
        }
        check(t);
        return t;
    }

    /**
     * Where an SDE sampler starts: the path's start when σ/α is finite there, otherwise (rectified flow, where the
     * reverse SDE is singular at t = 0) the time where σ/α = {@value #DEFAULT_RATIO_MAX}.
     */
    public static double sdeStart(NoisePath path) {
        double r = path.ratio(path.tStart());
        return Double.isFinite(r) ? path.tStart() : path.tOfRatio(DEFAULT_RATIO_MAX);
    }

    /**
     * The rule a sampler's {@code grid} parameter names, as a {@link Schedule}; {@code auto} is the model's own times
     * for this step count when it ships some (a BOSS-straightened student), else uniform.
     */
    public static Schedule schedule(String kind, int steps, double rho, String times, boolean sde) {
        if (kind.equals("auto")) {
            return new Schedule() {
                @Override
                public String id() {
                    return "auto";
                }

                @Override
                public double[] times(org.flowbench.engine.model.FlowModel model, int[] conditioning) {
                    double[] own = model.as(org.flowbench.engine.model.StoredSchedule.class)
                            .map(s -> s.storedTimes(steps)).orElse(null);
                    return own != null ? own : build("uniform", model.path(), steps, rho, times, sde);
                }
            };
        }
        if (!kind.equals("uniform") && !kind.equals("edm") && !kind.equals("list")) {
            throw new FlowbenchException("unknown grid '" + kind + "'", "use auto, uniform, edm or list");
        }
        return new Schedule() {
            @Override
            public String id() {
                return kind;
            }

            @Override
            public double[] times(org.flowbench.engine.model.FlowModel model, int[] conditioning) {
                return build(kind, model.path(), steps, rho, times, sde);
            }
        };
    }

    /** The grid a sampler asked for by name; ODE grids start at the path's start, SDE grids at {@link #sdeStart}. */
    public static double[] build(String kind, NoisePath path, int steps, double rho, String times, boolean sde) {
        return switch (kind) {
            case "uniform" -> uniform(sde ? sdeStart(path) : path.tStart(), path.tEnd(), steps);
            case "edm" -> edm(path, steps, rho, DEFAULT_RATIO_MAX, DEFAULT_RATIO_MIN, !sde);
            case "list" -> list(times, steps, path);
            default -> throw new FlowbenchException("unknown grid '" + kind + "'", "use uniform, edm or list");
        };
    }

    private static void check(double[] t) {
        for (int i = 1; i < t.length; i++) {
            if (!(t[i] > t[i - 1])) {
                throw new FlowbenchException("time grid must be strictly increasing toward the data, got "
                        + Arrays.toString(t));
            }
        }
    }
}
