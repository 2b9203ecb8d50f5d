package org.flowbench.app.cli;

import org.flowbench.engine.device.Devices;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu[:i]} for every command that runs a model (a picocli mixin). */
public final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "where models run: auto (a usable GPU, else the CPU), cpu, gpu or gpu:N "
                    + "(default ${DEFAULT-VALUE}); an unusable GPU is refused")
    String device;

    /** Selects the device for the models this command opens; an unusable one is a one-line error (rc 2). */
    public void apply() {
        Devices.use(device);
    }
}
