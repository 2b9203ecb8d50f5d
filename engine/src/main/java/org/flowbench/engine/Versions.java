package org.flowbench.engine;

import java.io.InputStream;
import java.util.Properties;
import org.flowbench.engine.model.FlowModel;

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

    /** What computed the model's field: the JVM for analytic models, DJL + PyTorch for networks. */
    public static String engine(FlowModel model) {
        return "float64".equals(model.dtype()) ? "java " + System.getProperty("java.version")
                : "DJL " + djl() + " / PyTorch " + pytorch() + " on java " + System.getProperty("java.version");
    }
}
