package org.flowbench.sweep;

/**
 * The job jar's entry point (spark-submit, or java -jar): the Flowbench CLI with {@code sweep} among its commands;
 * Spark's own logging is kept to warnings.
 */
public final class SweepMain {
    private SweepMain() {}

    public static void main(String[] args) {
        for (String logger : new String[] {"org.apache.spark", "org.sparkproject", "org.apache.hadoop", "io.netty"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + logger, "warn");
        }
        System.exit(org.flowbench.app.cli.FlowbenchCommand.run(args));
    }
}
