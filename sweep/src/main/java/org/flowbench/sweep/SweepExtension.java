package org.flowbench.sweep;

import org.flowbench.app.cli.CliExtension;

/** Adds {@code flowbench sweep} to the CLI when this module is on the class path. */
public final class SweepExtension implements CliExtension {
    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public Object command() {
        return new SweepCommand();
    }
}
