package org.flowbench.engine.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.Versions;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Png;

/**
 * The text a Flowbench PNG carries, documented in docs/conventions.md: the recipe (the run record of the image, or of
 * the run for a grid) as JSON under {@value #KEY}, and the same in the one-paragraph form that other image tools show
 * and parse, under {@value #PARAMETERS} ("prompt", then "Steps: …, Sampler: …, Seed: …, Size: …, Model hash: …").
 */
public final class PngRecipe {
    /** The key of the JSON recipe. */
    public static final String KEY = "flowbench-recipe";
    /** The key other image tools read a generation's parameters from. */
    public static final String PARAMETERS = "parameters";
    /** Keys written as UTF-8 iTXt whatever their text (the others are tEXt where Latin-1 holds them). */
    public static final java.util.Set<String> UTF8_KEYS = java.util.Set.of(KEY);
    /** A key earlier versions wrote on sample grids; still read. */
    private static final List<String> OLD_KEYS = List.of("flowbench.recipe");

    private PngRecipe() {
    }

    /** The text chunks for an image (or grid) of this shape ([C, H, W] or [H, W]) made by this recipe. */
    public static Map<String, String> text(Map<String, Object> recipe, int[] shape) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(PARAMETERS, parameters(recipe, shape));
        try {
            t.put(KEY, Json.MAPPER.writeValueAsString(recipe));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        t.put("Software", "Flowbench " + Versions.app());
        return t;
    }

    /**
     * The recipe in the form image-generation tools write: the prompt on the first line, then comma-separated
     * {@code Key: value} pairs. Flowbench's own pairs: the image's index within its seed's run ({@code Image}), the
     * sampler's parameters other than steps ({@code Params}) and the version.
     */
    public static String parameters(Map<String, Object> recipe, int[] shape) {
        StringBuilder b = new StringBuilder();
        b.append(String.valueOf(recipe.getOrDefault("prompt", ""))).append('\n');
        Map<String, String> params = new LinkedHashMap<>();
        if (recipe.get("params") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        List<String> pairs = new java.util.ArrayList<>();
        if (params.containsKey("steps")) {
            pairs.add("Steps: " + params.remove("steps"));
        }
        pairs.add("Sampler: " + recipe.getOrDefault("sampler", "?"));
        if (params.containsKey("guidance")) {
            pairs.add("CFG scale: " + params.remove("guidance"));
        }
        pairs.add("Seed: " + recipe.getOrDefault("seed", "?"));
        if (shape != null && shape.length >= 2) {
            pairs.add("Size: " + shape[shape.length - 1] + "x" + shape[shape.length - 2]);
        }
        Object hash = recipe.get("modelHash");
        if (hash != null) {
            String h = String.valueOf(hash);
            pairs.add("Model hash: " + (h.length() > 10 ? h.substring(0, 10) : h));
        }
        pairs.add("Model: " + recipe.getOrDefault("model", "?"));
        if (recipe.containsKey("image")) {
            pairs.add("Image: " + recipe.get("image"));
        }
        if (!params.isEmpty()) {
            // values may hold commas (times lists): quoted as the format does for such values
            pairs.add("Params: \"" + params.toString().replace("\"", "'") + "\"");
        }
        pairs.add("Version: flowbench " + recipe.getOrDefault("appVersion", Versions.app()));
        return b.append(String.join(", ", pairs)).toString();
    }

    /** The recipe of a PNG written by Flowbench; one clear error for any other file. */
    public static Map<String, Object> read(Path png) {
        Map<String, String> text;
        try {
            text = Png.readText(png);
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + png + ": " + e.getMessage(), "give a PNG written by Flowbench");
        }
        String json = text.get(KEY);
        for (int i = 0; json == null && i < OLD_KEYS.size(); i++) {
            json = text.get(OLD_KEYS.get(i));
        }
        if (json == null) {
            throw new FlowbenchException(png + " has no Flowbench recipe (no '" + KEY + "' text"
                    + (text.containsKey(PARAMETERS) ? "; its 'parameters' come from another tool" : "") + ")",
                    "recall works on images, manifests and metrics.json files that Flowbench wrote");
        }
        try {
            Map<String, Object> m = Json.MAPPER.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<>() {});
            return m;
        } catch (IOException e) {
            throw new FlowbenchException(png + ": its recipe is not valid JSON (" + e.getMessage().split("\n")[0] + ")",
                    "the file was changed after Flowbench wrote it");
        }
    }
}
