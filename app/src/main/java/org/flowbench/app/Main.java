package org.flowbench.app;

import org.flowbench.app.cli.FlowbenchCommand;

/** Launcher: the CLI, which opens the GUI when called without arguments (once the workbench exists). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        org.flowbench.engine.device.Devices.prepareEngine(); // before anything can load PyTorch (CUDA build)
        System.exit(FlowbenchCommand.run(args));
    }
}
