package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressReportTest {
    @Test
    void aLineSaysPercentRateAndTimeLeft() {
        ProgressReport r = new ProgressReport(new PrintWriter(new StringWriter()), "euler", "steps", false);
        assertEquals("euler  25% 250/1000 steps · 100 steps/s · 0:08 left", r.line(250, 1000, 2.5));
        assertEquals("euler 100% 1000/1000 steps · 100 steps/s · done in 0:10", r.line(1000, 1000, 10));
        ProgressReport t = new ProgressReport(new PrintWriter(new StringWriter()), "run", "images", true);
        assertTrue(t.line(12, 24, 3).startsWith("run [############............]  50% 12/24 images · 4.00 images/s"),
                t.line(12, 24, 3));
        assertEquals("1:01:01", ProgressReport.clock(3661));
    }

    @Test
    void workThatEndsQuicklyPrintsNothing() {
        StringWriter out = new StringWriter();
        ProgressReport r = new ProgressReport(new PrintWriter(out, true), "features", "images", false);
        r.update(1, 4);
        r.update(4, 4);
        r.finish();
        assertEquals("", out.toString());
    }
}
