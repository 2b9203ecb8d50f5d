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
                FidCommand.class, DevicesCommand.class, SelftestCommand.class, RecallCommand.class, CommandLine.HelpCommand.class})
public final class FlowbenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // read before parsing by Verbosity (the log configuration precedes the first logger); declared for help and checks
    @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "print nothing when the command succeeds (what it printed is shown if it fails)")
    boolean quiet;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "also the libraries' information lines and Flowbench's debug lines")
    boolean verbose;

    @CommandLine.Option(names = "--log-level", paramLabel = "LEVEL", scope = CommandLine.ScopeType.INHERIT,
            description = "error, warn, info, debug or trace (default: info, libraries warn; environment: "
                    + Verbosity.ENV + ")")
    String logLevel;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the app, DJL and PyTorch versions. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"flowbench " + Versions.app(), "DJL " + Versions.djl() + ", PyTorch " + Versions.pytorch()
                    + ("cuda".equals(Versions.flavour()) ? " (CUDA " + Versions.cudaRuntime() + " build)" : " (CPU build)")
                    + ", java " + System.getProperty("java.version")};
        }
    }

    /** Runs the CLI; returns the exit code. User errors print one line to stderr and return 2. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            Verbosity.configure(args, System.getenv());
        } catch (FlowbenchException e) {
            err.println("flowbench: " + e.oneLine());
            return 2;
        }
        boolean json = java.util.Arrays.asList(args).contains("--json");
        boolean asked = java.util.Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h")
                || a.equals("--version") || a.equals("-V") || a.equals("help"));
        if (!Verbosity.quiet() || asked) {
            return execute(out, err, args);
        }
        // quiet: the command's own lines are held back and shown only if it fails; asked-for JSON is still printed
        Verbosity.Held heldOut = new Verbosity.Held();
        Verbosity.Held heldErr = new Verbosity.Held();
        int rc = execute(json ? out : heldOut.writer, heldErr.writer, args);
        if (rc != 0) {
            if (!json) {
                heldOut.flushTo(out);
            }
            heldErr.flushTo(err);
        }
        return rc;
    }

    private static int execute(PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 0) {
            args = new String[] {"gui"};
        } else if (args.length == 1 && args[0].endsWith(".flowbench")) {
            // a double-clicked project file: the desktop entry passes it as the only argument
            args = new String[] {"gui", args[0]};
        }
        CommandLine cl = new CommandLine(new FlowbenchCommand());
        for (CliExtension x : java.util.ServiceLoader.load(CliExtension.class, FlowbenchCommand.class.getClassLoader())) {
            cl.addSubcommand(x.name(), x.command());
        }
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
            String msg = ex.getMessage().split("\n")[0];
            // picocli stops at the first problem; unknown options found on the way are named too
            java.util.List<String> unknown = ex.getCommandLine().getUnmatchedArguments();
            if (!(ex instanceof CommandLine.UnmatchedArgumentException) && !unknown.isEmpty()) {
                msg = "Unknown option" + (unknown.size() == 1 ? "" : "s") + ": '" + String.join("', '", unknown)
                        + "'; " + msg;
            }
            err.println("flowbench: " + msg);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
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
