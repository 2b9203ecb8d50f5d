package org.flowbench.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flowbench.app.ui.Workbench;
import org.flowbench.engine.FlowbenchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowbench gui [project] [--run] [--screenshot FILE]}: opens the workbench (also what plain {@code flowbench} does). */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Open the workbench; with --screenshot, render the window to a PNG and exit.")
public final class GuiCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @Parameters(index = "0", arity = "0..1", description = "a .flowbench project to open (default: the ready comparison)")
    Path project;

    @Option(names = "--run", description = "start the run at once (with --screenshot: capture after it completes)")
    boolean run;

    @Option(names = "--screenshot", description = "render the window to this PNG file and exit")
    Path screenshot;

    @Option(names = "--theme", defaultValue = "light", description = "light or dark (default ${DEFAULT-VALUE})")
    String theme;

    @Option(names = "--tab", description = "with --screenshot: show this panel tab (e.g. 'Reward trace')")
    String tab;

    @Option(names = "--wipe", defaultValue = "NaN",
            description = "with --screenshot: set every lane's initial/result wipe (0..1)")
    double wipe;

    @Option(names = "--save-as", description = "with --screenshot: save the project to this file first (after --run)")
    Path saveAs;

    @Option(names = "--report", description = "with --screenshot: export the HTML report to this folder first")
    Path report;

    @Option(names = "--drop", paramLabel = "FILE", description = "as if FILE were dropped on the window: a project "
            + "opens, a PNG, manifest or metrics.json is recalled (with --screenshot: captured after the re-run check)")
    Path drop;

    @Option(names = "--size", defaultValue = "1440x900", description = "window size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Override
    public Integer call() {
        deviceOption.apply();
        if (!Workbench.displayAvailable()) {
            throw new FlowbenchException("no display: the workbench needs a graphical session",
                    "run it on a desktop, under xvfb-run, or use 'flowbench run PROJECT --out DIR' headless");
        }
        String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new FlowbenchException("--size must look like 1440x900, got " + size);
        }
        if (!theme.equals("light") && !theme.equals("dark")) {
            throw new FlowbenchException("--theme must be light or dark, got " + theme);
        }
        Workbench.Options o = new Workbench.Options(project, run, screenshot, theme,
                Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim()), tab, wipe, saveAs, report, drop);
        return Workbench.launch(o);
    }
}
