package org.flowbench.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Paths;
import org.junit.jupiter.api.Test;

class TimeGridTest {
    @Test
    void edmGridOnVeIsTheEdmSigmaGrid() {
        NoisePath ve = new Paths.Ve(0.01, 10);
        int k = 10;
        double rho = 7;
        double[] t = TimeGrid.edm(ve, k, rho, 80, 0.002, true);
        for (int i = 0; i <= k; i++) {
            double s = Math.pow(Math.pow(10, 1 / rho) + i / (double) k * (Math.pow(0.01, 1 / rho) - Math.pow(10, 1 / rho)), rho);
            assertEquals(s, ve.sigma(t[i]), 1e-9 * s, "sigma at " + i);
        }
    }

    @Test
    void edmGridOnRectifiedFlowEndsAtData() {
        double[] ode = TimeGrid.edm(Paths.RECTIFIED_FLOW, 8, 7, 80, 0.002, true);
        assertEquals(0, ode[0]);
        assertEquals(1, ode[8]);
        double[] sde = TimeGrid.edm(Paths.RECTIFIED_FLOW, 8, 7, 80, 0.002, false);
        assertEquals(80, Paths.RECTIFIED_FLOW.ratio(sde[0]), 1e-9);
        assertEquals(0.002, Paths.RECTIFIED_FLOW.ratio(sde[7]), 1e-9);
        assertEquals(1, sde[8]);
    }

    @Test
    void ratioInversionIsExactOnEveryPath() {
        for (NoisePath p : new NoisePath[] {Paths.RECTIFIED_FLOW, new Paths.Vp(0.1, 20, 1e-3), new Paths.Ve(0.01, 10)}) {
            for (double t : new double[] {0.1, 0.37, 0.8}) {
                assertEquals(t, p.tOfRatio(p.ratio(t)), 1e-9, p.id());
            }
        }
    }

    @Test
    void uniformAndListGrids() {
        double[] u = TimeGrid.uniform(0, 1, 4);
        assertEquals(0.25, u[1], 0);
        assertEquals(1, u[4], 0);
        double[] l = TimeGrid.list("0, 0.5, 0.9, 1", 3, Paths.RECTIFIED_FLOW);
        assertEquals(0.9, l[2]);
        assertThrows(FlowbenchException.class, () -> TimeGrid.list("0, 0.5, 1", 3, Paths.RECTIFIED_FLOW));
        assertThrows(FlowbenchException.class, () -> TimeGrid.list("0, 0.6, 0.5, 1", 3, Paths.RECTIFIED_FLOW));
        assertThrows(FlowbenchException.class, () -> TimeGrid.list("0, x, 0.5, 1", 3, Paths.RECTIFIED_FLOW));
        assertThrows(FlowbenchException.class, () -> TimeGrid.list("-1, 0.2, 0.5, 1", 3, Paths.RECTIFIED_FLOW));
    }

    @Test
    void sdeStartAvoidsTheSingularEnd() {
        assertEquals(1 / 81.0, TimeGrid.sdeStart(Paths.RECTIFIED_FLOW), 1e-12);
        assertEquals(0, TimeGrid.sdeStart(new Paths.Vp(0.1, 20, 1e-3)));
    }

    @Test
    void configsValidateByName() {
        var e = SamplerRegistry.get("euler");
        assertThrows(FlowbenchException.class, () -> e.create(java.util.Map.of("grid", "log")));
        assertThrows(FlowbenchException.class, () -> e.create(java.util.Map.of("rho", "0.5")));
        assertEquals(12, Configs.toMap(e.create(java.util.Map.of("steps", "12")).config()).get("steps"));
    }
}
