package org.flowbench.app.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.samplers.Configs;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;

/**
 * Reads and writes {@code .flowbench} project files. Reading never changes anything on disk: a damaged file, a file
 * from a newer Flowbench, or one that names a sampler this version lacks is one {@link FlowbenchException}. Older
 * schemas are migrated step by step through {@link #MIGRATIONS} (fixtures of every old version live in the tests).
 * Writing is atomic and keeps the previous file as {@code name.bak}.
 */
public final class ProjectFiles {
    public static final String EXTENSION = ".flowbench";

    /** Migration from schema k to k + 1, keyed by k. */
    static final Map<Integer, UnaryOperator<ObjectNode>> MIGRATIONS = new LinkedHashMap<>();

    static {
        MIGRATIONS.put(0, ProjectFiles::migrate0to1);
        MIGRATIONS.put(1, ProjectFiles::migrate1to2);
    }

    private ProjectFiles() {}

    /** The project file's name without the extension (default output folders are named after it). */
    public static String stem(Path file) {
        String base = file.getFileName().toString();
        return base.endsWith(EXTENSION) ? base.substring(0, base.length() - EXTENSION.length()) : base;
    }

    public static Project read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FlowbenchException("project " + file + " does not exist");
        } catch (IOException e) {
            throw new FlowbenchException("cannot read project " + file + ": " + e.getMessage());
        }
        return parse(bytes, file.toString());
    }

    /** Parses project JSON; {@code where} names the source in messages. */
    public static Project parse(byte[] bytes, String where) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw damaged(where, "it is not valid JSON: the text breaks off or is malformed at " + where(e));
        }
        if (root == null || !root.isObject()) {
            throw damaged(where, "not a project (expected a JSON object)");
        }
        ObjectNode node = (ObjectNode) root.deepCopy();
        int version;
        JsonNode v = node.get("schemaVersion");
        if (v == null) {
            version = 0;
        } else if (v.canConvertToInt() && v.isIntegralNumber()) {
            version = v.intValue();
        } else {
            throw damaged(where, "schemaVersion is not a number");
        }
        if (version > Project.SCHEMA_VERSION) {
            throw new FlowbenchException("project " + where + " was written by a newer Flowbench (schema " + version
                    + "; this version reads up to " + Project.SCHEMA_VERSION + ")",
                    "open it with a newer Flowbench; the file was not changed");
        }
        if (version < 0) {
            throw damaged(where, "schemaVersion " + version + " is invalid");
        }
        while (version < Project.SCHEMA_VERSION) {
            UnaryOperator<ObjectNode> m = MIGRATIONS.get(version);
            if (m == null) {
                throw damaged(where, "no migration from schema " + version);
            }
            try {
                node = m.apply(node);
            } catch (RuntimeException e) {
                throw damaged(where, "cannot migrate from schema " + version + " (" + e.getMessage() + ")");
            }
            version++;
            node.put("schemaVersion", version);
        }
        Project p;
        try {
            p = Json.MAPPER.readerFor(Project.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(node);
        } catch (IOException e) {
            throw damaged(where, firstLine(e));
        }
        validate(p, where);
        return resolved(p);
    }

    /**
     * The project with every lane's parameters resolved (defaults included, former names mapped to current ones) and
     * the sampler version they were resolved for: what a saved file holds, so that a later default cannot change it.
     */
    public static Project resolved(Project p) {
        List<LaneSpec> lanes = new ArrayList<>();
        for (LaneSpec l : p.lanes()) {
            Sampler s = SamplerRegistry.get(l.sampler()).create(l.params());
            lanes.add(new LaneSpec(l.name(), l.sampler(), Configs.toText(s.config()), l.model(), s.version()));
        }
        return p.withLanes(lanes).withCurrentSchema();
    }

    static void validate(Project p, String where) {
        if (p.model() == null || p.model().isBlank()) {
            throw damaged(where, "no model");
        }
        if (p.n() < 1 || p.batch() < 1) {
            throw damaged(where, "n and batch must be at least 1 (n = " + p.n() + ", batch = " + p.batch() + ")");
        }
        for (LaneSpec lane : p.lanes()) {
            if (lane.name() == null || lane.sampler() == null) {
                throw damaged(where, "a lane has no name or sampler");
            }
            if (!SamplerRegistry.ids().contains(lane.sampler())) {
                throw new FlowbenchException("project " + where + ": lane '" + lane.name() + "' uses sampler '"
                        + lane.sampler() + "', which this Flowbench does not have",
                        "available: " + String.join(", ", SamplerRegistry.ids()) + "; the file was not changed");
            }
            try {
                SamplerRegistry.get(lane.sampler()).create(lane.params());
            } catch (FlowbenchException e) {
                throw new FlowbenchException("project " + where + ": lane '" + lane.name() + "': " + e.getMessage(),
                        e.hint());
            }
        }
    }

    public static byte[] toBytes(Project p) {
        try {
            return Json.MAPPER.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Atomic save: temp file, fsync, previous version kept as {@code file.bak}, rename. */
    public static void write(Project p, Path file) {
        try {
            byte[] bytes = toBytes(resolved(p));
            AtomicFiles.write(file, out -> out.write(bytes), true);
        } catch (IOException e) {
            throw new FlowbenchException("cannot save project " + file + ": " + e.getMessage(),
                    "choose another folder with Save As");
        }
    }

    private static FlowbenchException damaged(String where, String why) {
        boolean bak = Files.isRegularFile(Path.of(where + ".bak"));
        return new FlowbenchException("project " + where + " is damaged: " + why, "the file was not changed"
                + (bak ? "; the previous save is in " + where + ".bak" : ""));
    }

    /** Where a JSON text broke, in words ("line 3, column 7"), without the parser's own message. */
    private static String where(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return "line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return "unreadable";
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * Schema 1 → 2: lanes gained an optional model of their own and the sampler version, results the record of what
     * ran. Schema-1 parameters omitted the defaults of version 1 of every sampler; the only default that changed
     * since is the fixed-step solvers' grid (uniform, now auto), which is written in here.
     */
    private static ObjectNode migrate1to2(ObjectNode in) {
        // the fixed-step solvers' default grid was uniform until version 2 of euler/heun/rk4 (now auto)
        for (JsonNode lane : in.path("lanes")) {
            String sampler = lane.path("sampler").asText();
            if ((sampler.equals("euler") || sampler.equals("heun") || sampler.equals("rk4"))
                    && lane.path("params").isObject() && !lane.path("params").has("grid")) {
                ((ObjectNode) lane.get("params")).put("grid", "uniform");
            }
        }
        return in;
    }

    /**
     * Schema 0 (the preview format): {@code modelRef}, {@code samples}, lanes with {@code params} as a list of
     * "name=value" strings and no names, no results.
     */
    private static ObjectNode migrate0to1(ObjectNode in) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("name", in.path("name").asText("Untitled"));
        out.put("model", in.path("modelRef").asText(in.path("model").asText("")));
        out.putNull("modelHash");
        out.put("prompt", in.path("prompt").asText(""));
        out.put("n", in.path("samples").asInt(in.path("n").asInt(1000)));
        out.put("batch", in.path("batch").asInt(250));
        out.put("seed", in.path("seed").asLong(0));
        out.put("seedPolicy", "FIXED");
        out.put("previewEvery", 2);
        out.put("referenceStats", "exact");
        ArrayNode lanes = out.putArray("lanes");
        int i = 0;
        for (JsonNode l : in.path("lanes")) {
            i++;
            ObjectNode lane = lanes.addObject();
            String sampler = l.path("sampler").asText();
            lane.put("name", l.path("name").asText(sampler + " " + i));
            lane.put("sampler", sampler);
            ObjectNode params = lane.putObject("params");
            for (JsonNode kv : l.path("params")) {
                String s = kv.asText();
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("parameter '" + s + "' is not name=value");
                }
                params.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
        }
        out.putArray("results");
        return out;
    }
}
