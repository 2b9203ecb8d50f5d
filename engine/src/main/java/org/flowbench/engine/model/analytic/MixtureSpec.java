package org.flowbench.engine.model.analytic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Paths;

/**
 * The JSON description of an analytic mixture:
 * {@code {"type":"gaussian-mixture","path":"rectified-flow","weights":[...],"means":[[...],...],"stds":[...]}}
 * with optional {@code "labels"} (a class per component), {@code "classNames"}, and for the VE path
 * {@code "sigmaMin"}/{@code "sigmaMax"} (defaults 0.01 and 10).
 */
public record MixtureSpec(String path, double[] weights, double[][] means, double[] stds, int[] labels,
                          List<String> classNames, double sigmaMin, double sigmaMax) {
    public MixtureSpec {
        int k = weights.length;
        if (k == 0) {
            throw new FlowbenchException("mixture: 'weights' is empty");
        }
        if (means.length != k || stds.length != k) {
            throw new FlowbenchException("mixture: 'weights', 'means' and 'stds' must have the same length (got "
                    + k + ", " + means.length + ", " + stds.length + ")");
        }
        int d = means[0].length;
        if (d == 0) {
            throw new FlowbenchException("mixture: means must have at least one coordinate");
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            if (means[j].length != d) {
                throw new FlowbenchException("mixture: mean " + j + " has " + means[j].length + " coordinates, expected " + d);
            }
            if (!(weights[j] > 0) || !Double.isFinite(weights[j])) {
                throw new FlowbenchException("mixture: weight " + j + " must be positive, got " + weights[j]);
            }
            if (!(stds[j] > 0) || !Double.isFinite(stds[j])) {
                throw new FlowbenchException("mixture: std " + j + " must be positive, got " + stds[j]);
            }
            for (double m : means[j]) {
                if (!Double.isFinite(m)) {
                    throw new FlowbenchException("mixture: mean " + j + " is not finite");
                }
            }
            sum += weights[j];
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new FlowbenchException("mixture: weights must sum to 1, they sum to " + sum);
        }
        weights = weights.clone();
        for (int j = 0; j < k; j++) {
            weights[j] /= sum;
        }
        if (labels != null) {
            if (labels.length != k) {
                throw new FlowbenchException("mixture: 'labels' must have one class per component (" + k + ")");
            }
            for (int l : labels) {
                if (l < 0) {
                    throw new FlowbenchException("mixture: labels must be non-negative integers");
                }
            }
        }
        Paths.byId(path, sigmaMin, sigmaMax);
    }

    public int dim() {
        return means[0].length;
    }

    public int numClasses() {
        int c = 0;
        if (labels != null) {
            for (int l : labels) {
                c = Math.max(c, l + 1);
            }
        }
        return c;
    }

    public NoisePath noisePath() {
        return Paths.byId(path, sigmaMin, sigmaMax);
    }

    public MixtureSpec withPath(String newPath) {
        return new MixtureSpec(newPath, weights, means, stds, labels, classNames, sigmaMin, sigmaMax);
    }

    public static MixtureSpec of(String path, double[] weights, double[][] means, double[] stds) {
        return new MixtureSpec(path, weights, means, stds, null, null, 0.01, 10);
    }

    public static MixtureSpec read(Path file) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(Files.readString(file));
        } catch (java.io.IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new FlowbenchException("cannot read mixture spec " + file + ": " + msg);
        }
        try {
            return parse(node);
        } catch (FlowbenchException e) {
            throw new FlowbenchException(file + ": " + e.getMessage(), e.hint());
        }
    }

    public static MixtureSpec parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new FlowbenchException("mixture spec must be a JSON object");
        }
        String type = text(node, "type", null);
        if (!"gaussian-mixture".equals(type)) {
            throw new FlowbenchException("unsupported model type '" + type + "'", "expected \"type\":\"gaussian-mixture\"");
        }
        String path = text(node, "path", "rectified-flow");
        double[] weights = doubles(node, "weights");
        double[] stds = doubles(node, "stds");
        JsonNode m = node.get("means");
        if (m == null || !m.isArray()) {
            throw new FlowbenchException("mixture: 'means' must be an array of coordinate arrays");
        }
        double[][] means = new double[m.size()][];
        for (int j = 0; j < m.size(); j++) {
            means[j] = doubles(m.get(j), "means[" + j + "]");
        }
        int[] labels = null;
        JsonNode l = node.get("labels");
        if (l != null && !l.isNull()) {
            if (!l.isArray()) {
                throw new FlowbenchException("mixture: 'labels' must be an array of integers");
            }
            labels = new int[l.size()];
            for (int j = 0; j < l.size(); j++) {
                if (!l.get(j).isIntegralNumber()) {
                    throw new FlowbenchException("mixture: labels must be integers");
                }
                labels[j] = l.get(j).asInt();
            }
        }
        List<String> names = null;
        JsonNode cn = node.get("classNames");
        if (cn != null && cn.isArray()) {
            names = new ArrayList<>();
            for (JsonNode c : cn) {
                names.add(c.asText());
            }
        }
        double sMin = node.has("sigmaMin") ? node.get("sigmaMin").asDouble() : 0.01;
        double sMax = node.has("sigmaMax") ? node.get("sigmaMax").asDouble() : 10;
        return new MixtureSpec(path, weights, means, stds, labels, names, sMin, sMax);
    }

    private static String text(JsonNode node, String field, String dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new FlowbenchException("mixture: '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static double[] doubles(JsonNode node, String field) {
        JsonNode v = node.isArray() ? node : node.get(field);
        if (v == null || !v.isArray()) {
            throw new FlowbenchException("mixture: '" + field + "' must be an array of numbers");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new FlowbenchException("mixture: '" + field + "' must contain only numbers");
            }
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", "gaussian-mixture");
        o.put("path", path);
        ArrayNode w = o.putArray("weights");
        for (double x : weights) {
            w.add(x);
        }
        ArrayNode m = o.putArray("means");
        for (double[] mu : means) {
            ArrayNode a = m.addArray();
            for (double x : mu) {
                a.add(x);
            }
        }
        ArrayNode s = o.putArray("stds");
        for (double x : stds) {
            s.add(x);
        }
        if (labels != null) {
            ArrayNode l = o.putArray("labels");
            for (int x : labels) {
                l.add(x);
            }
        }
        if (classNames != null) {
            ArrayNode c = o.putArray("classNames");
            classNames.forEach(c::add);
        }
        if (path.equals("ve")) {
            o.put("sigmaMin", sigmaMin);
            o.put("sigmaMax", sigmaMax);
        }
        return o;
    }

    /** sha256 of the canonical JSON form: the identity of an analytic model. */
    public String hash() {
        try {
            byte[] bytes = Json.COMPACT.writeValueAsString(toJson()).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
