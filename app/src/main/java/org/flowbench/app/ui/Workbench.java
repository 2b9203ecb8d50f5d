package org.flowbench.app.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Application;
import javafx.application.Platform;

/**
 * How the CLI opens the workbench. {@link WorkbenchApp} (the {@code Application}) is never the class the JVM starts,
 * so JavaFX runs from the plain classpath; {@link #launch} blocks until the window closes and returns an exit code.
 */
public final class Workbench {
    private Workbench() {}

    /** What {@code flowbench gui} asked for. */
    /**
     * How the window starts; {@code tab} (a panel tab's title) and {@code wipe} (the lanes' A/B wipe, NaN = leave)
     * set the view before a screenshot; {@code saveAs} saves the project and {@code report} exports the HTML report
     * just before it (null: neither).
     */
    public record Options(Path project, boolean run, Path screenshot, String theme, int width, int height, String tab,
                          double wipe, Path saveAs, Path report, Path drop) {
        public Options(Path project, boolean run, Path screenshot, String theme, int width, int height) {
            this(project, run, screenshot, theme, width, height, null, Double.NaN, null, null, null);
        }
    }

    static volatile Options options = new Options(null, false, null, "light", 1440, 900);
    static final AtomicInteger EXIT = new AtomicInteger(0);

    /** A display to open a window on (X11, Wayland, or headless Monocle for tests). */
    public static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return true;
        }
        return nonEmpty(System.getenv("DISPLAY")) || nonEmpty(System.getenv("WAYLAND_DISPLAY"))
                || "Monocle".equals(System.getProperty("glass.platform"));
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isBlank();
    }

    public static int launch(Options o) {
        options = o;
        EXIT.set(0);
        Platform.setImplicitExit(true);
        Application.launch(WorkbenchApp.class);
        return EXIT.get();
    }

    /** The stylesheets of a theme, base first. */
    static List<String> stylesheets(String theme) {
        return List.of(url("base.css"), url(theme.equals("dark") ? "dark.css" : "light.css"));
    }

    private static String url(String name) {
        var u = Workbench.class.getResource("/org/flowbench/ui/" + name);
        if (u == null) {
            throw new IllegalStateException("missing UI resource " + name + " (flowbench-ui-resources not on the classpath)");
        }
        return u.toExternalForm();
    }
}
