package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.flowbench.engine.FlowbenchException;

/**
 * How much every command says: {@code -q} nothing on success (what a failing command printed is shown when it
 * fails), {@code -v} also the libraries' information and Flowbench's debug lines, {@code --log-level LEVEL} any level;
 * the environment variable {@value #ENV} sets the level for every command. By default Flowbench logs at INFO and the
 * libraries (DJL, PyTorch) at WARN; DJL's CUDA probe, which complains on every machine without a usable GPU, only at
 * ERROR ({@code flowbench devices} says what the machine has).
 *
 * <p>The log configuration must be in place before the first logger is made, so the options are read from the
 * arguments before picocli parses them (picocli still declares them, for help and for their errors).
 */
final class Verbosity {
    static final String ENV = "FLOWBENCH_LOG_LEVEL";
    private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");
    private static volatile boolean quiet;
    private static final java.util.List<java.util.logging.Logger> JAVAFX_LOGGERS = java.util.List.of(
            java.util.logging.Logger.getLogger("javafx"), java.util.logging.Logger.getLogger("com.sun.javafx"));

    private Verbosity() {
    }

    /** Whether the command in progress was asked to be quiet (its progress lines are then not even made). */
    static boolean quiet() {
        return quiet;
    }

    /** Reads -q, -v and --log-level (anywhere in the arguments) and the environment; configures the loggers. */
    static void configure(String[] args, Map<String, String> env) {
        boolean q = false;
        boolean v = false;
        String level = env.get(ENV);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-q") || a.equals("--quiet")) {
                q = true;
            } else if (a.equals("-v") || a.equals("--verbose")) {
                v = true;
            } else if (a.equals("--log-level") && i + 1 < args.length) {
                level = args[++i];
            } else if (a.startsWith("--log-level=")) {
                level = a.substring("--log-level=".length());
            }
        }
        quiet = q;
        String mine;
        String libraries;
        String cuda;
        if (level != null && !level.isBlank()) {
            level = level.toLowerCase(Locale.ROOT).strip();
            if (!LEVELS.contains(level)) {
                throw new FlowbenchException("unknown log level '" + level + "'", "use one of error, warn, info, "
                        + "debug, trace (in --log-level or " + ENV + ")");
            }
            mine = level;
            libraries = level;
            cuda = level.equals("debug") || level.equals("trace") ? level : "error";
        } else if (q) {
            mine = "error";
            libraries = "error";
            cuda = "error";
        } else if (v) {
            mine = "debug";
            libraries = "info";
            cuda = "warn";
        } else {
            mine = "info";
            libraries = "warn";
            cuda = "error";
        }
        // JavaFX logs through java.util.logging: the same level for it (strong references: JUL keeps loggers weakly)
        java.util.logging.Level jul = switch (libraries) {
            case "error" -> java.util.logging.Level.SEVERE;
            case "warn" -> java.util.logging.Level.WARNING;
            case "info" -> java.util.logging.Level.INFO;
            default -> java.util.logging.Level.FINE;
        };
        for (java.util.logging.Logger l : JAVAFX_LOGGERS) {
            l.setLevel(jul);
        }
        set("org.slf4j.simpleLogger.defaultLogLevel", mine);
        set("org.slf4j.simpleLogger.log.ai.djl", libraries);
        set("org.slf4j.simpleLogger.log.ai.djl.util.cuda", cuda);
    }

    private static void set(String key, String value) {
        System.setProperty(key, value);
    }

    /**
     * Where a quiet command's output goes: kept in memory, and written out only if the command fails, so that a
     * failure still says what happened.
     */
    static final class Held {
        private final StringWriter text = new StringWriter();
        final PrintWriter writer = new PrintWriter(text, true);

        void flushTo(PrintWriter real) {
            writer.flush();
            real.print(text);
            real.flush();
        }
    }
}
