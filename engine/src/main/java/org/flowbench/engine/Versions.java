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

    /** The build's flavour: "cpu" (default) or "cuda" ({@code mvn -Pcuda}, ADR 0012). */
    public static String flavour() {
        String f = PROPS.getProperty("flavour", "cpu");
        return f.startsWith("$") ? "cpu" : f;
    }

    /** The CUDA runtime the build's engine carries ("12.4"), or "none" in the CPU build. */
    public static String cudaRuntime() {
        String v = PROPS.getProperty("cudaRuntime", "none");
        return v.startsWith("$") ? "none" : v;
    }

    /** What computed a model's field, by its dtype: the JVM for analytic models (float64), DJL + PyTorch for networks. */
    public static String engine(String dtype) {
        return "float64".equals(dtype) ? "java " + System.getProperty("java.version")
                : "DJL " + djl() + " / PyTorch " + pytorch() + " on java " + System.getProperty("java.version");
    }
}
