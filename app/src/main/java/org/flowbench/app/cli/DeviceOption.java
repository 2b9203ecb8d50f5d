package org.flowbench.app.cli;

import org.flowbench.engine.device.Devices;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu[:i]} for every command that runs a model (a picocli mixin). */
public final class DeviceOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "where models run: auto (a usable GPU, else the CPU, saying why), cpu, gpu or gpu:N "
                    + "(default ${DEFAULT-VALUE}); an unusable GPU is refused")
    String device;

    /**
     * Selects the device for the models this command opens; an unusable one is a one-line error (rc 2). When "auto"
     * ends on the CPU where a GPU was to be expected (the CUDA build, or a GPU this build cannot use), one line on
     * stderr says why (no driver, the CPU build, a driver too old, no free memory).
     */
    public void apply() {
        Devices.Choice c = Devices.use(device);
        if (c.fallback() != null && Devices.fallbackWorthSaying() && !Verbosity.quiet() && mixee != null) {
            mixee.commandLine().getErr().println(c.fallback());
        }
    }
}
