package org.flowbench.engine.model.pkg;

import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;

/**
 * How a package's network sees time and noise: the probability path ({@code path}: rectified-flow, vp, ve, with
 * {@code pathParameters}), what it predicts ({@code parameterization}: velocity, epsilon, data, score) and what time
 * it is given ({@code networkTime}: {@code generation} = t, 0 noise, 1 data; {@code diffusion} = 1 − t, the VP τ and
 * diffusers' convention; {@code sigma} = σ(t), EDM/VE style; times {@code networkTimeScale}). Converted here, in one
 * place, to Flowbench's generation time; every invalid value is one error naming the field.
 */
record PackageConventions(NoisePath path, Parameterization parameterization, String networkTime, double timeScale) {
    static PackageConventions of(ModelPackage p) {
        Map<String, Object> m = p.manifest();
        String pathId = String.valueOf(m.getOrDefault("path", "rectified-flow"));
        Map<String, Object> pp = m.get("pathParameters") instanceof Map<?, ?> q ? cast(q) : Map.of();
        NoisePath path = switch (pathId) {
            case "rectified-flow" -> Paths.RECTIFIED_FLOW;
            case "vp" -> new Paths.Vp(number(p, pp, "betaMin", 0.1), number(p, pp, "betaMax", 20.0),
                    number(p, pp, "tauMin", 1e-3));
            case "ve" -> {
                if (!pp.containsKey("sigmaMin") || !pp.containsKey("sigmaMax")) {
                    throw new FlowbenchException("model package " + p.dir() + ": path ve needs pathParameters "
                            + "sigmaMin and sigmaMax", "add e.g. \"pathParameters\": {\"sigmaMin\": 0.01, \"sigmaMax\": 80}");
                }
                yield new Paths.Ve(number(p, pp, "sigmaMin", 0), number(p, pp, "sigmaMax", 0));
            }
            default -> throw new FlowbenchException("model package " + p.dir() + ": unknown path '" + pathId + "'",
                    "use rectified-flow, vp or ve");
        };
        Parameterization par;
        try {
            par = Parameterization.parse(p.string("parameterization"));
        } catch (FlowbenchException e) {
            throw new FlowbenchException("model package " + p.dir() + ": " + e.getMessage(), e.hint());
        }
        String time = String.valueOf(m.getOrDefault("networkTime", "generation"));
        if (!time.equals("generation") && !time.equals("diffusion") && !time.equals("sigma")) {
            throw new FlowbenchException("model package " + p.dir() + ": unknown networkTime '" + time + "'",
                    "use generation (t, 0 = noise), diffusion (1 - t, 1 = noise) or sigma");
        }
        Object ts = m.get("networkTimeScale");
        double scale = ts instanceof Number n ? n.doubleValue() : 1.0;
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new FlowbenchException("model package " + p.dir() + ": networkTimeScale must be a positive number");
        }
        return new PackageConventions(path, par, time, scale);
    }

    /** The time the network is given for generation time t. */
    double networkTime(double t) {
        double u = switch (networkTime) {
            case "diffusion" -> 1 - t;
            case "sigma" -> path.sigma(t);
            default -> t;
        };
        return timeScale * u;
    }

    /** Built-in architectures are rectified-flow velocity networks; a manifest that says otherwise is refused. */
    static void requireRectifiedVelocity(ModelPackage p, String arch) {
        PackageConventions c = of(p);
        if (c.path() != Paths.RECTIFIED_FLOW || c.parameterization() != Parameterization.VELOCITY
                || !c.networkTime.equals("generation")) {
            throw new FlowbenchException("model package " + p.dir() + ": the built-in architecture " + arch
                    + " predicts the rectified-flow velocity at generation time; the manifest says " + c.describe(),
                    "correct the manifest, or export the network as TorchScript/ONNX with its own conventions");
        }
    }

    String describe() {
        return "path " + path.id() + ", parameterization " + parameterization.name().toLowerCase(java.util.Locale.ROOT)
                + ", networkTime " + networkTime;
    }

    private static double number(ModelPackage p, Map<String, Object> pp, String key, double dflt) {
        Object v = pp.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new FlowbenchException("model package " + p.dir() + ": pathParameters." + key + " must be a number");
        }
        return n.doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
