package org.flowbench.engine;

import java.io.InputStream;
import java.util.Properties;

/** Versions recorded in every manifest. */
public final class Versions {
    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = Versions.class.getResourceAsStream("/org/flowbench/engine/versions.properties")) {
            if (in != null) {
                PROPS.load(in);
            }
        } catch (java.io.IOException ignored) {
            // versions stay "unknown"
        }
    }

    private Versions() {}

    public static String app() {
        return PROPS.getProperty("app", "unknown");
    }

    public static String djl() {
        return PROPS.getProperty("djl", "unknown");
    }

    public static String pytorch() {
        return PROPS.getProperty("pytorch", "unknown");
    }

    /** What computed a model's field, by its dtype: the JVM for analytic models (float64), DJL + PyTorch for networks. */
    public static String engine(String dtype) {
        return "float64".equals(dtype) ? "java " + System.getProperty("java.version")
                : "DJL " + djl() + " / PyTorch " + pytorch() + " on java " + System.getProperty("java.version");
    }
}
