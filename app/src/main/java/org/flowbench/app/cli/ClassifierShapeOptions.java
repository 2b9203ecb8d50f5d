package org.flowbench.app.cli;

import org.flowbench.engine.FlowbenchException;
import picocli.CommandLine.Option;

/** The classifier CNN's shape options, shared by the commands that train one (classifier, realism). */
final class ClassifierShapeOptions {
    @Option(names = "--channels", split = ",", description = "conv widths of the two levels (default 32,64; "
            + "realism 16,32)")
    int[] channels;

    @Option(names = "--kernel", defaultValue = "3", description = "conv kernel size, odd (default ${DEFAULT-VALUE})")
    int kernel;

    @Option(names = "--features", description = "feature layer size (default 128; realism 64)")
    Integer features;

    /** {channels1, channels2, kernel, features}, with the command's defaults for what was not given. */
    int[] shape(int[] defaultChannels, int defaultFeatures) {
        int[] ch = channels == null ? defaultChannels : channels;
        if (ch.length != 2) {
            throw new FlowbenchException("--channels needs two widths, e.g. 32,64");
        }
        return new int[] {ch[0], ch[1], kernel, features == null ? defaultFeatures : features};
    }
}
