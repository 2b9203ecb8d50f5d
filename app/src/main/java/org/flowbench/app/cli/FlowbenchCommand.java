package org.flowbench.app.cli;

import java.io.PrintWriter;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code flowbench [command]}. */
@Command(name = "flowbench", mixinStandardHelpOptions = true, versionProvider = FlowbenchCommand.Version.class,
        description = "Flowbench: run diffusion and flow samplers side by side and measure quality and cost.",
        subcommands = {ModelsCommand.class, SamplersCommand.class, SampleCommand.class, RunCommand.class,
                GuiCommand.class, TrainCommand.class, ExportCommand.class, BossCommand.class, StatsCommand.class,
                FidCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class})
public final class FlowbenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the app, DJL and PyTorch versions. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"flowbench " + Versions.app(), "DJL " + Versions.djl() + ", PyTorch " + Versions.pytorch()
                    + " (CPU), java " + System.getProperty("java.version")};
        }
    }

    /** Runs the CLI; returns the exit code. User errors print one line to stderr and return 2. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 0) {
            args = new String[] {"gui"};
        } else if (args.length == 1 && args[0].endsWith(".flowbench")) {
            // a double-clicked project file: the desktop entry passes it as the only argument
            args = new String[] {"gui", args[0]};
        }
        CommandLine cl = new CommandLine(new FlowbenchCommand());
        cl.registerConverter(java.nio.file.Path.class, FlowbenchCommand::path);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            Throwable t = ex;
            while (!(t instanceof FlowbenchException) && t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            if (t instanceof FlowbenchException fe) {
                err.println("flowbench: " + fe.oneLine());
                return 2;
            }
            err.println("flowbench: internal error: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("flowbench: " + ex.getMessage().split("\n")[0]);
            err.println("Try 'flowbench " + (ex.getCommandLine().getCommandName().equals("flowbench") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help' for usage.");
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * A path option's value. Under a locale whose character set cannot hold the name (LANG=C or POSIX with an
     * accented or non-Latin file name) Java cannot use it at all: say so in words, with the way out.
     */
    static java.nio.file.Path path(String value) {
        try {
            return java.nio.file.Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            String cs = System.getProperty("sun.jnu.encoding", "the system's");
            throw new CommandLine.TypeConversionException("'" + value + "' cannot be used as a file name: this "
                    + "session's character set (" + cs + ", from LANG/LC_ALL) cannot represent its characters; run "
                    + "with a UTF-8 locale (e.g. LANG=C.UTF-8) or rename the file");
        }
    }
}
