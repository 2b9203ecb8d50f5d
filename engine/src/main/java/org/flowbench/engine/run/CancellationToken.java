package org.flowbench.engine.run;

import java.util.concurrent.atomic.AtomicBoolean;

/** Cooperative cancel: long work calls {@link #check()} at least once per step. */
public final class CancellationToken {
    public static final CancellationToken NONE = new CancellationToken();

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        if (this != NONE) {
            cancelled.set(true);
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Throws {@link CancelledException} once cancel was requested. */
    public void check() {
        if (cancelled.get()) {
            throw new CancelledException();
        }
    }

    /** Thrown by {@link #check()}; work done so far stays valid. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("cancelled", null, false, false);
        }
    }
}
