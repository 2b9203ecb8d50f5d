package org.flowbench.engine.model.pkg;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Safetensors;
import org.flowbench.engine.nn.ParamStore;

/**
 * A model package: a folder with {@code flowbench-model.json} (the manifest), weight files listed in it with their
 * sha256, and {@code MODEL_CARD.md}. {@link #open} checks every listed hash; {@link #loadWeights} checks every shape.
 */
public final class ModelPackage {
    public static final String MANIFEST = "flowbench-model.json";
    public static final String FORMAT = "flowbench-model/1";

    private final Path dir;
    private final Map<String, Object> manifest;

    private ModelPackage(Path dir, Map<String, Object> manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    public static boolean isPackage(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /** Reads the manifest and verifies the sha256 of every weight file it lists. */
    public static ModelPackage open(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new FlowbenchException("no " + MANIFEST + " in " + dir, "a model package is a folder with a manifest");
        }
        Map<String, Object> m;
        try {
            m = Json.MAPPER.readValue(mf.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + mf + ": " + e.getMessage().split("\n")[0]);
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new FlowbenchException(mf + " has format " + m.get("format") + ", expected " + FORMAT);
        }
        List<String> problems = schemaProblems(m);
        if (!problems.isEmpty()) {
            throw new FlowbenchException(mf + ": " + String.join("; ", problems),
                    "the manifest is damaged or was written by hand; see docs/model-packages.md");
        }
        ModelPackage p = new ModelPackage(dir, m);
        for (Map.Entry<String, Map<String, Object>> w : p.weights().entrySet()) {
            Path f = p.resolveInside(w.getKey());
            if (!Files.isRegularFile(f)) {
                throw new FlowbenchException("model package " + dir + " lacks its weight file " + w.getKey());
            }
            String want = String.valueOf(w.getValue().get("sha256"));
            String got = sha256(f);
            if (!got.equalsIgnoreCase(want)) {
                throw new FlowbenchException("weight file " + f + " has sha256 " + got + " but the manifest says " + want,
                        "the package is corrupt or was edited; reinstall it");
            }
        }
        return p;
    }

    /** What a manifest must hold whatever its kind: one phrase per problem (empty when it is well-formed). */
    static List<String> schemaProblems(Map<String, Object> m) {
        List<String> p = new java.util.ArrayList<>();
        if (!(m.get("name") instanceof String)) {
            p.add("\"name\" is missing or not text");
        }
        if (!(m.get("kind") instanceof String)) {
            p.add("\"kind\" is missing or not text");
        }
        if (!(m.get("architecture") instanceof String)) {
            p.add("\"architecture\" is missing or not text");
        } else if (!List.of("torchscript", "onnx").contains(m.get("architecture")) && !(m.get("config") instanceof Map)) {
            p.add("\"config\" (the architecture's settings) is missing");
        }
        Object shape = m.get("imageShape");
        if (!(shape instanceof List<?> l) || l.isEmpty()
                || !l.stream().allMatch(v -> v instanceof Integer i && i > 0)) {
            p.add("\"imageShape\" must be a list of positive whole numbers, e.g. [1, 28, 28]");
        }
        Object w = m.get("weights");
        if (!(w instanceof Map<?, ?> wm) || wm.isEmpty()) {
            p.add("\"weights\" must list the weight files with their sha256");
        } else {
            for (Map.Entry<?, ?> e : wm.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> f) || !(f.get("sha256") instanceof String)) {
                    p.add("weights entry \"" + e.getKey() + "\" has no sha256");
                }
            }
        }
        return p;
    }

    /**
     * The architecture's network built from the manifest's {@code config} by {@code parse}; a missing or mistyped
     * field becomes one clear error instead of a NullPointerException.
     */
    public <T> T architecture(java.util.function.Function<Map<String, Object>, T> parse) {
        try {
            return parse.apply(map("config"));
        } catch (NullPointerException | ClassCastException | IndexOutOfBoundsException e) {
            throw new FlowbenchException(dir.resolve(MANIFEST) + ": \"config\" of architecture "
                    + manifest.get("architecture") + " lacks a field or has one of the wrong type: " + map("config"),
                    "compare it with a package written by flowbench train");
        }
    }

    /** A path inside the package; refuses names that leave it. */
    public Path resolveInside(String name) {
        Path f = dir.resolve(name).normalize();
        if (!f.startsWith(dir.normalize())) {
            throw new FlowbenchException("model package " + dir + " names a file outside itself: " + name);
        }
        return f;
    }

    public Path dir() {
        return dir;
    }

    public Map<String, Object> manifest() {
        return manifest;
    }

    public String string(String key) {
        Object v = manifest.get(key);
        if (v == null) {
            throw new FlowbenchException(dir.resolve(MANIFEST) + " lacks \"" + key + "\"");
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        Object v = manifest.get(key);
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> weights() {
        Object v = manifest.get("weights");
        return v instanceof Map<?, ?> ? (Map<String, Map<String, Object>>) v : Map.of();
    }

    public int[] imageShape() {
        List<?> l = (List<?>) manifest.get("imageShape");
        int[] s = new int[l.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((Number) l.get(i)).intValue();
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    public List<String> classNames() {
        Object c = map("conditioning").get("classNames");
        return c instanceof List<?> ? (List<String>) c : List.of();
    }

    /** Hash of the manifest's weight hashes: the model's identity. */
    public String hash() {
        StringBuilder sb = new StringBuilder();
        weights().forEach((k, v) -> sb.append(k).append('=').append(v.get("sha256")).append('\n'));
        return sha256(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Loads the first safetensors weight file into {@code into}, checking names and shapes. */
    public void loadWeights(ParamStore into) {
        String file = weights().keySet().stream().filter(n -> n.endsWith(".safetensors")).findFirst()
                .orElseThrow(() -> new FlowbenchException("model package " + dir + " lists no .safetensors weights"));
        Path f = resolveInside(file);
        into.load(Safetensors.read(f).tensors(), "", "weights " + f);
    }

    /**
     * Writes a package: weights as {@code model.safetensors}, the manifest (with the file's sha256 filled in) and
     * the model card.
     */
    public static void write(Path dir, Map<String, Object> manifest, ParamStore weights, Map<String, String> meta,
                             String modelCard) throws IOException {
        Files.createDirectories(dir);
        Path w = dir.resolve("model.safetensors");
        Safetensors.write(w, weights.toTensors(""), meta);
        Files.deleteIfExists(dir.resolve("model.safetensors.bak"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.putAll(manifest);
        Map<String, Object> files = new LinkedHashMap<>();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sha256", sha256(w));
        entry.put("bytes", Files.size(w));
        entry.put("tensors", weights.names().size());
        entry.put("parameters", weights.count());
        files.put("model.safetensors", entry);
        m.put("weights", files);
        AtomicFiles.write(dir.resolve(MANIFEST), Json.MAPPER.writeValueAsBytes(m));
        if (modelCard != null) {
            AtomicFiles.write(dir.resolve("MODEL_CARD.md"), modelCard.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    public static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + f + ": " + e.getMessage(), null, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
