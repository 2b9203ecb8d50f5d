package org.flowbench.engine.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built-in model packages are: {@code $flowbench.home/models}, or a {@code models/} folder above here. */
public final class ModelHome {
    private ModelHome() {}

    /** The models folder, or null if there is none. */
    public static Path modelsDir() {
        String home = System.getProperty("flowbench.home");
        if (home != null && Files.isDirectory(Path.of(home, "models"))) {
            return Path.of(home, "models");
        }
        Path d = Path.of("").toAbsolutePath();
        while (d != null) {
            if (Files.isDirectory(d.resolve("models")) && (Files.isRegularFile(d.resolve("pom.xml"))
                    || Files.isDirectory(d.resolve("models/fashion-flow"))
                    || Files.isDirectory(d.resolve("models/fashion-classifier")))) {
                return d.resolve("models");
            }
            d = d.getParent();
        }
        return null;
    }
}
