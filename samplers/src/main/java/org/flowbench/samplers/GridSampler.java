package org.flowbench.samplers;

import java.util.Arrays;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SamplingRequest;

/**
 * A {@link BatchSampler} that steps through a {@link Schedule}'s times: one step per interval, starting at its first
 * time; the schedule prepares (with progress and cancel) before the first image.
 */
public abstract class GridSampler<C extends Record> extends BatchSampler<C> {
    protected GridSampler(String id, String version, C config) {
        super(id, version, config);
    }

    /** Where this sampler steps. */
    public abstract Schedule schedule();

    /** The times, increasing toward the data (steps + 1 values). */
    public double[] grid(FlowModel model) {
        return schedule().times(model);
    }

    @Override
    protected RunState begin(SamplingRequest req, FlowModel model, ProgressListener listener,
                             CancellationToken cancel) {
        schedule().prepare(model, listener, cancel);
        return RunState.NONE;
    }

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
        manifest.put("schedule", schedule().id());
        manifest.put("times", Arrays.stream(grid(model)).boxed().toList());
    }
}
