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

    /** The times for an unconditional run, increasing toward the data (steps + 1 values). */
    public double[] grid(FlowModel model) {
        return schedule().times(model, null);
    }

    /** The times for this request's run (its conditioning). */
    public double[] grid(FlowModel model, SamplingRequest req) {
        return schedule().times(model, req.conditioningCycle());
    }

    @Override
    protected RunState begin(SamplingRequest req, FlowModel model, ProgressListener listener,
                             CancellationToken cancel) {
        schedule().prepare(model, req.conditioningCycle(), listener, cancel);
        return RunState.NONE;
    }

    @Override
    protected long stepsPerImage(SamplingRequest req, FlowModel model) {
        return grid(model, req).length - 1;
    }

    @Override
    protected double startTime(SamplingRequest req, FlowModel model) {
        return grid(model, req)[0];
    }

    @Override
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder manifest) {
        manifest.put("schedule", schedule().id());
        manifest.put("times", Arrays.stream(grid(model, req)).boxed().toList());
    }
}
