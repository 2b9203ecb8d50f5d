package org.flowbench.app.ui;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/** Where view-model updates run: the FX thread in the app, the calling thread in tests without a toolkit. */
public interface UiExecutor extends Executor {
    /** Each update as its own FX event. */
    UiExecutor FX = r -> {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    };

    UiExecutor DIRECT = Runnable::run;

    /**
     * Updates from worker threads are queued and applied on the FX thread in one event every {@code periodMs}, in
     * order: the scene changes (and is re-rendered) at most that often, however fast lanes report.
     */
    static UiExecutor fxBatched(long periodMs) {
        ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        AtomicBoolean posted = new AtomicBoolean();
        ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flowbench-ui-tick");
            t.setDaemon(true);
            return t;
        });
        Runnable drain = () -> {
            posted.set(false);
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
            }
        };
        tick.scheduleAtFixedRate(() -> {
            if (!queue.isEmpty() && posted.compareAndSet(false, true)) {
                Platform.runLater(drain);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return r -> {
            if (Platform.isFxApplicationThread()) {
                r.run();
            } else {
                queue.add(r);
            }
        };
    }
}
