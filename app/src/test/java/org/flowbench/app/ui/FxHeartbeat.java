package org.flowbench.app.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javafx.application.Platform;

/**
 * Measures how long the FX thread is kept from its queue: a runnable posted every 5 ms, whose delay is how long the
 * thread was busy with something else.
 *
 * <p>On a machine whose cores are all sampling, and with the software renderer of headless tests, most of a delay
 * is not the FX thread's doing: it stands in the run queue while compute threads have the cores, or waits for the
 * render thread to rasterise the previous frame. What the FX thread itself does is measured two ways where Linux
 * reports it ({@code /proc/self/task/TID/schedstat}: time on a CPU, time in the run queue): its CPU time within
 * each delay (work: layout, CSS, listeners), and any stretch in which a sample finds it blocked or sleeping inside
 * Flowbench code (waiting on a lock, a file or a sleep there). Where schedstat is not reported, only the raw delay is
 * known, and {@link #controlLatenessMs()} (a plain thread's lateness on the same tick) says whether the machine ran
 * threads on time at all.
 */
final class FxHeartbeat implements AutoCloseable {
    private static final long PERIOD_NS = 5_000_000L;
    private static final long LATE_NS = 50_000_000L;

    private final long start = System.nanoTime();
    private final Path schedstat;
    private final AtomicLong maxDelay = new AtomicLong();
    private final AtomicLong maxOwn = new AtomicLong();
    private final AtomicLong maxCpu = new AtomicLong();
    private final AtomicLong maxBlocked = new AtomicLong();
    private long blockedSince = -1; // sampler thread only
    private final AtomicLong beats = new AtomicLong();
    private final AtomicLong lastBeat = new AtomicLong(System.nanoTime());
    private final AtomicLong controlMax = new AtomicLong();
    private final List<String> late = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> overdueStacks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(3);

    /** Starts beating; {@code watched} are the threads to sample while a beat is overdue (the FX thread first). */
    FxHeartbeat(List<Thread> watched) {
        this.schedstat = schedstatOf("JavaFX Applicat");
        timers.scheduleAtFixedRate(() -> {
            long posted = System.nanoTime();
            long[] atPost = schedstat();
            Platform.runLater(() -> beat(posted, atPost));
        }, 0, 5, TimeUnit.MILLISECONDS);
        // diagnosis: while a beat is overdue, sample the watched threads, so that a failure names the culprit
        Thread fx = watched.get(0);
        timers.scheduleAtFixedRate(() -> {
            blockedInFlowbench(fx);
            if (System.nanoTime() - lastBeat.get() > LATE_NS / 2) {
                for (Thread t : watched) {
                    String key = t.getName() + ": " + Arrays.stream(t.getStackTrace()).limit(8)
                            .map(e -> e.getClassName().replaceAll(".*\\.", "") + "." + e.getMethodName())
                            .collect(Collectors.joining(" < "));
                    overdueStacks.merge(key, 1, Integer::sum);
                }
            }
        }, 0, 3, TimeUnit.MILLISECONDS);
        // control: the same tick on a plain thread measures how late this machine runs any thread
        AtomicLong ticks = new AtomicLong();
        timers.scheduleAtFixedRate(() -> {
            long due = start + ticks.getAndIncrement() * PERIOD_NS;
            controlMax.accumulateAndGet(System.nanoTime() - due, Math::max);
        }, 0, 5, TimeUnit.MILLISECONDS);
    }

    private void beat(long posted, long[] atPost) {
        long now = System.nanoTime();
        long delay = now - posted;
        long[] at = schedstat();
        // the FX thread's run-queue wait between posting and running is the scheduler's share of the delay
        long own = schedstat == null ? delay : Math.max(0, delay - Math.max(0, at[1] - atPost[1]));
        if (schedstat != null) {
            maxCpu.accumulateAndGet(Math.max(0, at[0] - atPost[0]), Math::max);
        }
        if (own > LATE_NS || delay > LATE_NS) {
            late.add(String.format("%.0f ms (%.0f ms own) at +%.0f ms", delay / 1e6, own / 1e6, (posted - start) / 1e6));
        }
        maxDelay.accumulateAndGet(delay, Math::max);
        maxOwn.accumulateAndGet(own, Math::max);
        beats.incrementAndGet();
        lastBeat.set(now);
    }

    /** Samples the FX thread: the longest stretch found blocked, waiting or sleeping with Flowbench code on its stack. */
    private void blockedInFlowbench(Thread fx) {
        Thread.State st = fx.getState();
        boolean ours = st != Thread.State.RUNNABLE && Arrays.stream(fx.getStackTrace())
                .anyMatch(e -> e.getClassName().startsWith("org.flowbench."));
        long now = System.nanoTime();
        if (!ours) {
            blockedSince = -1;
        } else if (blockedSince < 0) {
            blockedSince = now;
        } else {
            maxBlocked.accumulateAndGet(now - blockedSince, Math::max);
        }
    }

    /** The FX thread's longest CPU time within one delay (its work), where schedstat is reported. */
    double maxCpuMs() {
        return maxCpu.get() / 1e6;
    }

    /** The longest stretch the FX thread was found blocked or sleeping inside Flowbench code. */
    double maxBlockedInFlowbenchMs() {
        return maxBlocked.get() / 1e6;
    }

    /** Whether the run-queue wait is known, so that {@link #maxOwnMs()} excludes the scheduler's share. */
    boolean schedulerShareKnown() {
        return schedstat != null;
    }

    double maxDelayMs() {
        return maxDelay.get() / 1e6;
    }

    /** The longest delay less the FX thread's run-queue wait (equal to the delay where that wait is unknown). */
    double maxOwnMs() {
        return maxOwn.get() / 1e6;
    }

    double controlLatenessMs() {
        return controlMax.get() / 1e6;
    }

    long beats() {
        return beats.get();
    }

    String report() {
        return String.format("max delay %.1f ms, %.1f ms of it not in the run queue; the FX thread's CPU time within a "
                + "delay at most %.1f ms, blocked in Flowbench code at most %.1f ms; late beats: %s of %d (%d beats); "
                + "while overdue: %s", maxDelayMs(), maxOwnMs(), maxCpuMs(), maxBlockedInFlowbenchMs(),
                late.stream().limit(30).toList(), late.size(),
                beats(), overdueStacks.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(4)
                        .map(e -> e.getValue() + "× " + e.getKey()).toList());
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    /** {CPU time, run-queue wait} of the FX thread in ns; zeros where not reported. */
    private long[] schedstat() {
        if (schedstat == null) {
            return new long[2];
        }
        try {
            String[] f = Files.readString(schedstat).trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /** The schedstat file of the one thread of this process with that (kernel-truncated) name, or null. */
    private static Path schedstatOf(String comm) {
        Path found = null;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                if (Files.readString(t.resolve("comm")).trim().equals(comm) && Files.isReadable(t.resolve("schedstat"))) {
                    if (found != null) {
                        return null;
                    }
                    found = t.resolve("schedstat");
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (found == null) {
            return null;
        }
        try {
            Long.parseLong(Files.readString(found).trim().split("\\s+")[1]);
            return found;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
