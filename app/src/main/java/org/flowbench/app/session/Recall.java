package org.flowbench.app.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowbench.app.project.ImagePngs;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.Versions;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.PngRecipe;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;

/**
 * Recipes read back from what Flowbench wrote (a PNG, a {@code sample --manifest}, a {@code run}'s metrics.json), as
 * a project that runs them again, and the check that re-running an image gives it back bit for bit.
 */
public final class Recall {
    private Recall() {
    }

    /**
     * One recipe: a run record (model, hash, sampler and version, resolved parameters, seed, prompt, app version) and,
     * for a single image, its index within the run.
     */
    public record Recipe(String lane, Map<String, Object> record, Long image) {
        public String model() {
            return String.valueOf(record.get("model"));
        }

        public long seed() {
            return record.get("seed") instanceof Number n ? n.longValue() : 0;
        }

        public String prompt() {
            Object p = record.get("prompt");
            return p == null ? "" : String.valueOf(p);
        }

        public String sampler() {
            return String.valueOf(record.get("sampler"));
        }

        public Map<String, String> params() {
            Map<String, String> p = new LinkedHashMap<>();
            if (record.get("params") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> p.put(String.valueOf(k), String.valueOf(v)));
            }
            return p;
        }

        /** Images the recipe made: 1 for an image, else the run's count. */
        long images() {
            if (image != null) {
                return 1;
            }
            Object n = record.containsKey("images") ? record.get("images") : record.get("n");
            return n instanceof Number x ? Math.max(1, x.longValue()) : 1;
        }
    }

    /** The recipes in a file: one for a PNG or a manifest, one per lane for a metrics.json. */
    public static List<Recipe> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FlowbenchException(file + " does not exist", "give a PNG, manifest or metrics.json that Flowbench wrote");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            Map<String, Object> r = PngRecipe.read(file);
            Long image = r.get("image") instanceof Number n ? n.longValue() : null;
            return List.of(new Recipe(laneName(r), r, image));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new FlowbenchException(file + " is neither a PNG nor JSON (" + e.getMessage().split("\n")[0] + ")",
                    "give a PNG, manifest or metrics.json that Flowbench wrote");
        }
        if (root != null && root.has("lanes") && root.get("lanes").isArray()) {
            return fromMetrics(file, root);
        }
        if (root != null && root.has("sampler") && root.has("seed") && root.has("model")) {
            Map<String, Object> r = Json.MAPPER.convertValue(root, new com.fasterxml.jackson.core.type.TypeReference<>() {});
            return List.of(new Recipe(laneName(r), r, null));
        }
        throw new FlowbenchException(file + " holds no Flowbench recipe (neither a sampling manifest nor a run's "
                + "metrics.json)", "give a PNG, manifest or metrics.json that Flowbench wrote");
    }

    private static List<Recipe> fromMetrics(Path file, JsonNode root) {
        List<Recipe> out = new ArrayList<>();
        for (JsonNode lane : root.get("lanes")) {
            Map<String, Object> r = new LinkedHashMap<>();
            if (lane.has("record") && lane.get("record").size() > 0) {
                r.putAll(Json.MAPPER.convertValue(lane.get("record"),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));
            } else {
                // older metrics.json: the lane as specified, on the run's model and seed
                r.put("model", lane.has("model") ? lane.get("model").asText() : root.path("model").asText());
                r.put("sampler", lane.path("sampler").asText());
                r.put("params", Json.MAPPER.convertValue(lane.path("params"), Map.class));
                r.put("seed", root.path("seed").asLong());
                r.put("images", root.path("n").asLong());
            }
            r.putIfAbsent("prompt", root.path("prompt").asText(""));
            if (!r.containsKey("model") || !r.containsKey("sampler")) {
                throw new FlowbenchException(file + ": lane " + lane.path("lane").asText() + " names no model or sampler",
                        "the file was changed after Flowbench wrote it");
            }
            out.add(new Recipe(lane.path("lane").asText(laneName(r)), r, null));
        }
        if (out.isEmpty()) {
            throw new FlowbenchException(file + " lists no lanes", "give the metrics.json of a run that ran lanes");
        }
        return out;
    }

    private static String laneName(Map<String, Object> r) {
        Object lane = r.get("lane");
        if (lane != null) {
            return String.valueOf(lane);
        }
        String steps = r.get("params") instanceof Map<?, ?> m && m.get("steps") != null ? " " + m.get("steps") : "";
        return r.get("sampler") + steps;
    }

    /**
     * A project that runs the recipes again: their model, prompt and seed, one lane each with exactly the recorded
     * sampler, parameters and sampler version (a lane on another model keeps its own), N covering the recalled image
     * (its index + 1) or the recorded run's count.
     */
    public static Project toProject(List<Recipe> recipes, String name) {
        Recipe first = recipes.get(0);
        long n = 0;
        List<LaneSpec> lanes = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Recipe r : recipes) {
            if (r.seed() != first.seed() || !r.prompt().equals(first.prompt())) {
                throw new FlowbenchException("these recipes come from different runs (seed " + first.seed() + " / "
                        + r.seed() + ", prompt '" + first.prompt() + "' / '" + r.prompt() + "')",
                        "recall them one at a time");
            }
            n = Math.max(n, r.image() != null ? r.image() + 1 : r.images());
            String lane = r.lane();
            for (int k = 2; !names.add(lane); k++) {
                lane = r.lane() + " (" + k + ")";
            }
            Object v = r.record().get("samplerVersion");
            lanes.add(new LaneSpec(lane, r.sampler(), r.params(), r.model().equals(first.model()) ? null : r.model(),
                    v == null ? null : String.valueOf(v)));
        }
        if (n > Integer.MAX_VALUE) {
            throw new FlowbenchException("the recalled run has " + n + " images", "run it with flowbench run --n");
        }
        Object hash = first.record().get("modelHash");
        return new Project(Project.SCHEMA_VERSION, name, first.model(), hash == null ? null : String.valueOf(hash),
                first.prompt(), (int) n, (int) Math.min(n, 64), first.seed(), SeedPolicy.FIXED, 2, "exact", lanes,
                List.of());
    }

    /** Re-runs image {@code index} of a recorded run: the record's model, sampler, parameters, prompt set and seed. */
    public static SampleBatch rerun(Map<String, Object> record, long index, Session.ModelOpener opener) {
        Recipe r = new Recipe("", record, index);
        try (FlowModel m = opener.open(r.model())) {
            Sampler s = SamplerRegistry.create(r.sampler(), r.params());
            // image index of the run's prompt set: its class and, for BOSS, its schedule
            return s.sample(SamplingRequest.conditioned(r.seed(), index, 1, 1, PromptSet.parse(r.prompt(), m).cycle(), 0),
                    m, ProgressListener.NONE, CancellationToken.NONE);
        }
    }

    /** What re-running a recalled image gave. */
    public record Check(boolean identical, int differingValues, int maxLevelDifference, List<String> versionChanges) {
        public String summary() {
            String s = identical ? "reproduced bit for bit" : String.format(Locale.ROOT,
                    "differs: %d pixel values, by up to %d levels of 255", differingValues, maxLevelDifference);
            return versionChanges.isEmpty() ? s : s + " (" + String.join("; ", versionChanges) + ")";
        }
    }

    /** Re-runs the image a PNG holds and compares its 8-bit pixels with the file's; names every version that moved. */
    public static Check check(Path png, Session.ModelOpener opener) {
        Recipe r = read(png).get(0);
        if (r.image() == null) {
            throw new FlowbenchException(png + " is a grid of a run, not one image", "check a PNG of one image "
                    + "(flowbench run writes them under samples/)");
        }
        byte[] saved;
        try {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
            saved = pixelsOf(img);
        } catch (IOException e) {
            throw new FlowbenchException("cannot read the pixels of " + png + ": " + e.getMessage(), "");
        }
        SampleBatch b = rerun(r.record(), r.image(), opener);
        int[] shape = b.shape();
        byte[] now = ImagePngs.pixels(b.samples(), 0, shape);
        int diff = 0;
        int max = 0;
        if (now.length != saved.length) {
            diff = Math.max(now.length, saved.length);
            max = 255;
        } else {
            for (int i = 0; i < now.length; i++) {
                int d = Math.abs((now[i] & 0xff) - (saved[i] & 0xff));
                if (d > 0) {
                    diff++;
                    max = Math.max(max, d);
                }
            }
        }
        return new Check(diff == 0, diff, max, versionChanges(r.record(), b.manifest().entries()));
    }

    /** The identity fields of the record that differ from what ran now (model hash, sampler version, app, engine). */
    static List<String> versionChanges(Map<String, Object> then, Map<String, Object> now) {
        List<String> out = new ArrayList<>();
        for (String k : List.of("modelHash", "samplerVersion", "appVersion", "engine", "device", "dtype")) {
            Object a = then.get(k);
            Object b = now.get(k);
            if (a != null && b != null && !String.valueOf(a).equals(String.valueOf(b))) {
                out.add(k + " " + a + " → " + b);
            }
        }
        if (!then.containsKey("appVersion")) {
            out.add("written by an unknown version; now " + Versions.app());
        }
        return out;
    }

    private static byte[] pixelsOf(java.awt.image.BufferedImage img) {
        int c = img.getRaster().getNumBands();
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    px[(y * w + x) * c + k] = (byte) img.getRaster().getSample(x, y, k);
                }
            }
        }
        return px;
    }
}
