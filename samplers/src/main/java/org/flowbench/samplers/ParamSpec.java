package org.flowbench.samplers;

import java.util.List;

/** A parameter as tools see it: name, type, default, range, description, allowed values and former names. */
public record ParamSpec(String name, Class<?> type, String defaultValue, double min, double max, String description,
                        List<String> choices, List<String> formerNames) {
    /** "int", "double", "boolean" or "text". */
    public String typeName() {
        if (type == int.class || type == long.class) {
            return "int";
        }
        if (type == double.class) {
            return "double";
        }
        if (type == boolean.class) {
            return "boolean";
        }
        return "text";
    }

    /** A one-line explanation of what values are allowed, for error messages and tooltips. */
    public String rangeText() {
        if (!choices.isEmpty()) {
            return "one of " + String.join(", ", choices);
        }
        return switch (typeName()) {
            case "boolean" -> "true or false";
            case "text" -> "text";
            default -> {
                String lo = Double.isInfinite(min) ? "-inf" : fmt(min);
                String hi = Double.isInfinite(max) ? "inf" : fmt(max);
                yield typeName() + " in [" + lo + ", " + hi + "]";
            }
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
