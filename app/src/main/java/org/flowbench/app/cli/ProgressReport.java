package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A long command's progress on stderr: on a terminal, one line redrawn in place (bar, percent, rate, time left) at
 * most five times a second; otherwise (a pipe, a log file) a plain line every ten seconds and one at the end, so that
 * logs stay readable. Work that ends within its first two seconds prints nothing; nothing at all under {@code -q}.
 */
final class ProgressReport {
    private static final long TERMINAL_EVERY_NS = 200_000_000L;
    private static final long LOG_EVERY_NS = 10_000_000_000L;
    /** Quiet start: short work is not worth a line. */
    private static final long FIRST_AFTER_NS = 2_000_000_000L;
    private static final int BAR = 24;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long last;
    private boolean drawn;
    private boolean finished;

    ProgressReport(PrintWriter err, String label, String unit, boolean terminal) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.terminal = terminal;
        // the first line is due two seconds in
        this.last = start - (terminal ? TERMINAL_EVERY_NS : LOG_EVERY_NS) + FIRST_AFTER_NS;
    }

    /** On the process's own stderr when that is a terminal; plain lines otherwise. */
    static ProgressReport on(PrintWriter err, String label, String unit) {
        return new ProgressReport(err, label, unit, System.console() != null);
    }

    synchronized void update(long done, long total) {
        if (Verbosity.quiet() || finished) {
            return;
        }
        long now = System.nanoTime();
        boolean end = total > 0 && done >= total;
        if (end && !drawn && now - start < FIRST_AFTER_NS) {
            finished = true;
            return;
        }
        if (!end && now - last < (terminal ? TERMINAL_EVERY_NS : LOG_EVERY_NS)) {
            return;
        }
        last = now;
        String line = line(done, total, (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
        if (end) {
            finish();
        }
    }

    /** Ends the line on a terminal (a later message starts on its own line). */
    synchronized void finish() {
        if (!finished && terminal && drawn) {
            err.println();
            err.flush();
        }
        finished = true;
    }

    String line(long done, long total, double seconds) {
        StringBuilder b = new StringBuilder(label).append(' ');
        double f = total > 0 ? Math.min(1, done / (double) total) : 0;
        if (terminal) {
            int full = (int) Math.round(f * BAR);
            b.append('[').append("#".repeat(full)).append(".".repeat(BAR - full)).append("] ");
        }
        b.append(String.format(Locale.ROOT, "%3.0f%% %d/%d %s", 100 * f, done, total, unit));
        double rate = seconds > 0 ? done / seconds : 0;
        if (rate > 0) {
            b.append(String.format(Locale.ROOT, " · %s %s/s", rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate)
                    : String.format(Locale.ROOT, "%.3g", rate), unit));
        }
        if (done >= total && total > 0) {
            b.append(" · done in ").append(clock(seconds));
        } else if (rate > 0) {
            b.append(" · ").append(clock((total - done) / rate)).append(" left");
        }
        return b.toString();
    }

    /** m:ss, or h:mm:ss from an hour. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
