package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.session.LaneStatus;
import org.junit.jupiter.api.Test;

/** Results made with other settings than the window shows are named stale, and why; matching ones are not. */
class StalenessTest {
    @Test
    void resultsFromOtherSettingsAreStale() {
        LaneViewModel l = new LaneViewModel(new LaneSpec("E8", "euler", Map.of("steps", "8")));
        assertNull(Staleness.reason(l, 0, 32, "all"), "never ran");
        l.recordProperty().set(Map.of("seed", 0L, "prompt", "all", "sampler", "euler",
                "params", Map.of("steps", 8, "grid", "uniform")));
        l.statusProperty().set(LaneStatus.DONE);
        l.savedMetricsProperty().set(Map.of("images", 32.0));
        assertNull(Staleness.reason(l, 0, 32, "all"));
        assertEquals("seed 0, now 7", Staleness.reason(l, 7, 32, "all"));
        assertEquals("prompt \"all\", now \"Coat\"; N 32, now 64", Staleness.reason(l, 0, 64, "Coat"));
        l.param("steps").textProperty().set("16");
        assertEquals("steps 8, now 16", Staleness.reason(l, 0, 32, "all"));
        l.param("steps").textProperty().set("8.0");
        assertNull(Staleness.reason(l, 0, 32, "all"), "the same number written otherwise");
        l.statusProperty().set(LaneStatus.STOPPED);
        assertNull(Staleness.reason(l, 0, 64, "all"), "a stopped lane's image count is not its N");
    }
}
