package org.flowbench.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Test;

/** Parameters bind by name; values saved under a former name load as the renamed parameter. */
class ConfigsTest {
    /** Version 2 of a sampler that renamed 'n-steps' to 'steps'. */
    record Renamed(@Param(name = "steps", dflt = "8", min = 1, max = 100, description = "steps",
            formerNames = {"n-steps"}) int steps,
                   @Param(name = "grid", dflt = "uniform", choices = {"uniform", "edm"}, description = "grid")
                   String grid) {}

    @Test
    void formerNamesLoadAsTheCurrentParameter() {
        assertEquals(new Renamed(5, "uniform"), Configs.bind(Renamed.class, Map.of("n-steps", "5")));
        assertEquals(new Renamed(6, "edm"), Configs.bind(Renamed.class, Map.of("steps", "6", "grid", "edm")));
        FlowbenchException both = assertThrows(FlowbenchException.class,
                () -> Configs.bind(Renamed.class, Map.of("steps", "6", "n-steps", "5")));
        assertTrue(both.getMessage().contains("former name of 'steps'"), both.getMessage());
        FlowbenchException unknown = assertThrows(FlowbenchException.class,
                () -> Configs.bind(Renamed.class, Map.of("nsteps", "5")));
        assertTrue(unknown.getMessage().contains("unknown parameter 'nsteps'"), unknown.getMessage());
        assertEquals(Map.of("steps", "5", "grid", "uniform"),
                Configs.toText(Configs.bind(Renamed.class, Map.of("n-steps", "5"))), "saved under the current name");
    }
}
