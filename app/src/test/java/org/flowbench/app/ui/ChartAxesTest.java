package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.chart.NumberAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

@ExtendWith(ApplicationExtension.class) // axes are controls: they need the FX toolkit
class ChartAxesTest {
    @Test
    void stepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertEquals(1, ChartAxes.niceStep(0.7), 1e-12);
        assertEquals(2, ChartAxes.niceStep(1.3), 1e-12);
        assertEquals(2.5, ChartAxes.niceStep(2.2), 1e-12);
        assertEquals(5, ChartAxes.niceStep(4), 1e-12);
        assertEquals(10, ChartAxes.niceStep(6), 1e-12);
        assertEquals(50_000, ChartAxes.niceStep(40_000), 1e-9);
        assertEquals(0.0025, ChartAxes.niceStep(0.0021), 1e-15);
        assertEquals(0, ChartAxes.decimals(50));
        assertEquals(1, ChartAxes.decimals(2.5));
        assertEquals(4, ChartAxes.decimals(0.0025));
    }

    @Test
    void theRangeCoversTheDataOnWholeTicksAndChangesOnlyWhenTheDataLeaveIt() {
        NumberAxis a = ChartAxes.axis("FID");
        ChartAxes.fit(a, 37.2, 212.9, true);
        assertEquals(0, a.getLowerBound());
        assertEquals(250, a.getUpperBound());
        assertEquals(50, a.getTickUnit());
        assertEquals("150", a.getTickLabelFormatter().toString(150.0));
        ChartAxes.fit(a, 12.0, 201.0, true); // same ticks: nothing to lay out again
        assertEquals(250, a.getUpperBound());
        ChartAxes.fit(a, 0.0012, 0.0093, false);
        assertEquals(0, a.getLowerBound(), 1e-15);
        assertEquals(0.01, a.getUpperBound(), 1e-15);
        assertEquals(0.002, a.getTickUnit(), 1e-15);
        assertEquals("0.008", a.getTickLabelFormatter().toString(0.008));
        ChartAxes.fit(a, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, true); // no data: left as it is
        assertEquals(0.01, a.getUpperBound(), 1e-15);
        ChartAxes.fit(a, 3.0, 3.0, false); // one value: a range around it
        assertEquals(true, a.getLowerBound() < 3 && a.getUpperBound() > 3);
    }
}
