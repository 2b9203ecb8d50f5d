package org.flowbench.app.ui;

import java.nio.file.Path;

/** Entry point of the workbench for the CLI (placeholder until the window lands). */
public final class Workbench {
    private Workbench() {}

    public record Options(Path project, boolean run, Path screenshot, String theme, int width, int height) {}

    public static boolean displayAvailable() {
        return System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null
                || "Monocle".equals(System.getProperty("glass.platform"));
    }

    public static int launch(Options o) {
        return 1;
    }
}
