package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process for tests. */
final class CliTests {
    private CliTests() {}

    /** {exit code, stdout, stderr} of {@code flowbench args...}. */
    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
