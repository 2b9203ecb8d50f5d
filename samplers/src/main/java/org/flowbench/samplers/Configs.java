package org.flowbench.samplers;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;

/** Binds {@code name=value} text to a sampler's config record through its {@link Param} annotations, and back. */
public final class Configs {
    private Configs() {}

    public static List<ParamSpec> specs(Class<? extends Record> type) {
        List<ParamSpec> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Param p = c.getAnnotation(Param.class);
            if (p == null) {
                throw new IllegalStateException(type.getSimpleName() + "." + c.getName() + " has no @Param");
            }
            out.add(new ParamSpec(p.name(), c.getType(), p.dflt(), p.min(), p.max(), p.description(),
                    List.of(p.choices()), List.of(p.formerNames())));
        }
        return out;
    }

    /** The config with every parameter at its default. */
    public static <R extends Record> R defaults(Class<R> type) {
        return bind(type, Map.of());
    }

    /**
     * Builds the config from text values; missing names take their defaults. Unknown names, unparsable values and
     * values out of range are one clear error naming the parameter and what is allowed.
     */
    public static <R extends Record> R bind(Class<R> type, Map<String, String> given) {
        List<ParamSpec> specs = specs(type);
        Map<String, String> values = currentNames(specs, given);
        for (String name : values.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new FlowbenchException("unknown parameter '" + name + "'", "valid parameters: "
                        + String.join(", ", specs.stream().map(ParamSpec::name).toList()));
            }
        }
        Object[] args = new Object[specs.size()];
        Class<?>[] types = new Class<?>[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            ParamSpec s = specs.get(i);
            String text = values.getOrDefault(s.name(), s.defaultValue());
            args[i] = parse(s, text);
            types[i] = s.type();
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof FlowbenchException fe) {
                throw fe;
            }
            throw new FlowbenchException("invalid parameters: " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values with former parameter names replaced by the current ones; both at once is an error. */
    private static Map<String, String> currentNames(List<ParamSpec> specs, Map<String, String> given) {
        Map<String, String> out = new java.util.LinkedHashMap<>(given);
        for (ParamSpec s : specs) {
            for (String old : s.formerNames()) {
                if (out.containsKey(old)) {
                    if (out.containsKey(s.name())) {
                        throw new FlowbenchException("parameter '" + old + "' is the former name of '" + s.name()
                                + "'; give one of them", "use '" + s.name() + "'");
                    }
                    out.put(s.name(), out.remove(old));
                }
            }
        }
        return out;
    }

    public static Object parse(ParamSpec s, String text) {
        String t = text == null ? "" : text.trim();
        try {
            Object v = switch (s.typeName()) {
                case "int" -> s.type() == long.class ? (Object) Long.parseLong(t) : (Object) Integer.parseInt(t);
                case "double" -> Double.parseDouble(t);
                case "boolean" -> {
                    if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(t);
                }
                default -> t;
            };
            if (v instanceof Number num) {
                double d = num.doubleValue();
                if (!(d >= s.min() && d <= s.max())) {
                    throw new FlowbenchException("parameter '" + s.name() + "' = " + t + " is out of range",
                            "expected " + s.rangeText());
                }
            }
            if (!s.choices().isEmpty() && !s.choices().contains(t)) {
                throw new FlowbenchException("parameter '" + s.name() + "' = '" + t + "' is not allowed",
                        "expected " + s.rangeText());
            }
            return v;
        } catch (NumberFormatException e) {
            throw new FlowbenchException("parameter '" + s.name() + "' = '" + t + "' is not a valid value",
                    "expected " + s.rangeText());
        }
    }

    /** Every parameter of a config by name (for manifests and project files). */
    public static Map<String, Object> toMap(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            for (RecordComponent c : config.getClass().getRecordComponents()) {
                Param p = c.getAnnotation(Param.class);
                out.put(p.name(), c.getAccessor().invoke(config));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Every parameter as text, the inverse of {@link #bind} (whole-number doubles without ".0", as defaults are written). */
    public static Map<String, String> toText(Record config) {
        Map<String, String> out = new LinkedHashMap<>();
        toMap(config).forEach((k, v) -> out.put(k, v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue()) : String.valueOf(v)));
        return out;
    }

    /** Parses "k=v" pairs (the CLI's --param). */
    public static Map<String, String> parsePairs(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new FlowbenchException("--param '" + p + "' must look like name=value");
            }
            out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return out;
    }

    static String join(double[] v) {
        return Arrays.toString(v);
    }
}
