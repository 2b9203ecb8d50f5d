package org.flowbench.sweep;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.model.ModelHome;
import org.flowbench.engine.model.pkg.PackageResolver;

/**
 * The built-in model packages (models, classifiers for FID and rewards) as the driver has them, broadcast to the
 * executors once: an executor whose own models/ folder does not hold exactly these files installs them in a folder
 * of its own and takes it as its Flowbench home, once per JVM; each shard then checks its model's hash. Training
 * checkpoints stay behind (only packages are sampled).
 */
final class ModelShipment implements Serializable {
    private static final long serialVersionUID = 1L;
    private static volatile boolean checked;

    /** Package name → file name → bytes. */
    private final Map<String, Map<String, byte[]>> packages;

    private ModelShipment(Map<String, Map<String, byte[]>> packages) {
        this.packages = packages;
    }

    static ModelShipment fromDriver() {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        Path models = ModelHome.modelsDir();
        if (models != null) {
            List<String> names = new ArrayList<>(PackageResolver.BUILTINS);
            names.addAll(PackageResolver.CLASSIFIERS);
            for (String name : names) {
                Path dir = models.resolve(name);
                if (Files.isRegularFile(dir.resolve("flowbench-model.json"))) {
                    all.put(name, files(dir));
                }
            }
        }
        return new ModelShipment(all);
    }

    private static Map<String, byte[]> files(Path dir) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f) && !n.startsWith("checkpoint") && !n.endsWith(".bak")) {
                    m.put(n, Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Once per JVM: keeps the executor's own models when they are these, else installs these and uses them. */
    void ensureInstalled() {
        if (checked) {
            return;
        }
        synchronized (ModelShipment.class) {
            if (checked) {
                return;
            }
            if (!matchesLocal()) {
                try {
                    Path home = Files.createTempDirectory("flowbench-sweep-home");
                    installInto(home);
                    System.setProperty("flowbench.home", home.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            checked = true;
        }
    }

    /** Writes the packages into {@code home}/models. */
    void installInto(Path home) throws IOException {
        for (var p : packages.entrySet()) {
            for (var f : p.getValue().entrySet()) {
                Path target = home.resolve("models").resolve(p.getKey()).resolve(f.getKey());
                Files.createDirectories(target.getParent());
                AtomicFiles.write(target, f.getValue());
            }
        }
    }

    private boolean matchesLocal() {
        Path models = ModelHome.modelsDir();
        if (models == null) {
            return packages.isEmpty();
        }
        for (var p : packages.entrySet()) {
            for (var f : p.getValue().entrySet()) {
                Path local = models.resolve(p.getKey()).resolve(f.getKey());
                try {
                    if (!Files.isRegularFile(local) || Files.size(local) != f.getValue().length
                            || !java.util.Arrays.equals(Files.readAllBytes(local), f.getValue())) {
                        return false;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
