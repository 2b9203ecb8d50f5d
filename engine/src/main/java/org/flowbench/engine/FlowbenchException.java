package org.flowbench.engine;

/** An error meant for the user: a one-line message and an optional hint on what to do about it. */
public class FlowbenchException extends RuntimeException {
    private final String hint;

    public FlowbenchException(String message) {
        this(message, null, null);
    }

    public FlowbenchException(String message, String hint) {
        this(message, hint, null);
    }

    public FlowbenchException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }

    /** Message and hint on one line, as the CLI prints it. */
    public String oneLine() {
        return hint == null ? getMessage() : getMessage() + " (" + hint + ")";
    }
}
