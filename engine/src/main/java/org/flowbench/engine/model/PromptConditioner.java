package org.flowbench.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;

/**
 * A conditioner from a prompt file ({@code sample-prompts/*.json}: classes with a label, a name and several
 * phrasings). Matching ignores case, surrounding blanks, repeated spaces and a trailing full stop; "class N" also
 * works. The empty prompt is unconditional; an unknown prompt is an error that lists the prompts understood.
 */
public final class PromptConditioner implements Conditioner {
    private final String source;
    private final Map<String, Integer> byPrompt = new LinkedHashMap<>();
    private final List<String> prompts = new ArrayList<>();
    private final int classes;

    private PromptConditioner(String source, int classes) {
        this.source = source;
        this.classes = classes;
    }

    public static PromptConditioner read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new FlowbenchException("cannot read prompt file " + file + ": " + e.getMessage().split("\n")[0]);
        }
        JsonNode cls = root.get("classes");
        if (cls == null || !cls.isArray()) {
            throw new FlowbenchException("prompt file " + file + " has no \"classes\" array");
        }
        PromptConditioner c = new PromptConditioner(file.toString(), cls.size());
        for (JsonNode k : cls) {
            int label = k.path("label").asInt(-1);
            if (label < 0) {
                throw new FlowbenchException("prompt file " + file + " has a class without a label");
            }
            List<String> ps = new ArrayList<>();
            ps.add(k.path("name").asText());
            k.path("prompts").forEach(p -> ps.add(p.asText()));
            for (String p : ps) {
                String key = normalise(p);
                if (key.isEmpty()) {
                    continue;
                }
                Integer prev = c.byPrompt.putIfAbsent(key, label);
                if (prev == null) {
                    c.prompts.add(p);
                } else if (prev != label) {
                    throw new FlowbenchException("prompt file " + file + " maps '" + p + "' to classes " + prev + " and "
                            + label);
                }
            }
        }
        return c;
    }

    static String normalise(String p) {
        String s = p == null ? "" : p.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        return s;
    }

    /** The prompt file for a model with these class names, looked up in the Flowbench home; null if none fits. */
    public static Path promptFileFor(List<String> classNames) {
        if (!classNames.equals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot"))) {
            return null;
        }
        Path models = ModelHome.modelsDir();
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("flowbench.home");
        if (home != null) {
            candidates.add(Path.of(home, "sample-prompts", "fashion-mnist.json"));
        }
        if (models != null) {
            candidates.add(models.resolveSibling("sample-prompts").resolve("fashion-mnist.json"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public int label(String prompt) {
        String p = normalise(prompt);
        if (p.isEmpty()) {
            return FlowModel.UNCONDITIONAL;
        }
        Integer l = byPrompt.get(p);
        if (l != null) {
            return l;
        }
        if (p.matches("class \\d+")) {
            int c = Integer.parseInt(p.substring(6));
            if (c < classes) {
                return c;
            }
        }
        throw new FlowbenchException("prompt '" + prompt + "' is not understood (" + source + ")",
                "understood prompts: " + String.join(", ", prompts) + "; or an empty prompt for unconditional");
    }

    @Override
    public List<String> prompts() {
        return List.copyOf(prompts);
    }
}
