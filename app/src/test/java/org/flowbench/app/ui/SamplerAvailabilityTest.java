package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.flowbench.app.cli.FlowbenchCommand;
import org.flowbench.app.project.Workspace;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.OneStepGenerator;
import org.flowbench.samplers.SamplerRegistry;
import org.flowbench.samplers.ode.OdeSampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window and the CLI offer only samplers that can run on the loaded model, and say why the others cannot. */
class SamplerAvailabilityTest {
    private static final String ID = "test-needs-generator";

    @TempDir
    Path dir;

    @BeforeEach
    void register() {
        // a sampler that needs a one-step generator, which no analytic mixture is
        SamplerRegistry.register(new SamplerRegistry.Entry(ID, "test sampler", OdeSampler.Config.class,
                c -> new OdeSampler(OdeSampler.Method.EULER, (OdeSampler.Config) c), List.of(OneStepGenerator.class)));
    }

    @AfterEach
    void unregister() {
        SamplerRegistry.unregister(ID);
    }

    @Test
    void theWindowOffersOnlyWhatTheModelCanRun() {
        MainViewModel vm = new MainViewModel(UiExecutor.DIRECT, new Workspace(dir.resolve("ws")), Models::open,
                Runnable::run, Runnable::run);
        ModelView m = vm.modelProperty().get();
        assertTrue(m.offers("euler"));
        assertFalse(m.offers(ID));
        assertEquals(ID + " needs a one-step generator; builtin:3modes has none", m.unavailableSamplers().get(ID));
        int lanes = vm.lanes().size();
        assertNull(vm.addLane(ID), "no lane for a sampler the model cannot run");
        assertEquals(lanes, vm.lanes().size());
        assertEquals(m.unavailableSamplers().get(ID), vm.statusTextProperty().get());
    }

    @Test
    void theCliMarksWhatTheModelCannotRun() {
        StringWriter out = new StringWriter();
        int rc = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "samplers", "--model", "builtin:3modes");
        assertEquals(0, rc);
        assertTrue(out.toString().contains(ID + " ") && out.toString().contains("(not for this model: " + ID
                + " needs a one-step generator; builtin:3modes has none)"), out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("euler ") && !l.contains("not for")));
    }
}
