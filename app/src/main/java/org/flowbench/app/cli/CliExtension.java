package org.flowbench.app.cli;

/**
 * A subcommand that lives in another module (found with {@link java.util.ServiceLoader} when that module is on the
 * class path), e.g. {@code flowbench sweep} from the Spark module: the desktop build does not carry it, and with it
 * present it runs with the CLI's error handling, quiet mode and exit codes.
 */
public interface CliExtension {
    /** The subcommand's name. */
    String name();

    /** A new instance of the picocli command. */
    Object command();
}
