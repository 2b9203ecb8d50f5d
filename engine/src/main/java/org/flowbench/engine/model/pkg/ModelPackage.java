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
