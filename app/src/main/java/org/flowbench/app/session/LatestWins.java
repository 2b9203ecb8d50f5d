package org.flowbench.app.session;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A latest-wins scheduler: at most one task waits at a time; submitting while one waits replaces it, so slow
 * consumers (an FX thread, a metrics thread) never work through stale updates. Thread-safe.
 */
public final class LatestWins {
    private final Executor executor;
    private final AtomicReference<Runnable> pending = new AtomicReference<>();

    public LatestWins(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code task} soon on the executor unless a newer one replaces it first. */
    public void submit(Runnable task) {
        if (pending.getAndSet(task) == null) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        Runnable r = pending.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }
}
