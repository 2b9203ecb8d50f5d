package org.flowbench.samplers;

import java.util.Arrays;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.RunManifest;

/** A {@link BatchSampler} that steps through a fixed time grid: one step per interval, starting at its first time. */
public abstract class GridSampler<C extends Record> extends BatchSampler<C> {
    protected GridSampler(String id, String version, C config) {
        super(id, version, config);
    }

    /** The times, increasing toward the data (steps + 1 values). */
    public abstract double[] grid(FlowModel model);

    @Override
    protected long stepsPerImage(FlowModel model) {
        return grid(model).length - 1;
    }

    @Override
    protected double startTime(FlowModel model) {
        return grid(model)[0];
    }

    @Override
    protected void describe(FlowModel model, RunManifest.Builder manifest) {
        manifest.put("times", Arrays.stream(grid(model)).boxed().toList());
    }
}
