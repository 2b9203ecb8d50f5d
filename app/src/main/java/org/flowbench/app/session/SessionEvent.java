package org.flowbench.app.session;

import org.flowbench.engine.run.SampleBatch;

/** What a {@link Session} publishes, on its worker thread. Listeners must be cheap and hand work elsewhere. */
public sealed interface SessionEvent {
    /** The run started with these lanes; {@code totalImages} per lane. */
    record Started(int lanes, int totalImages, int[] shape) implements SessionEvent {}

    /** Progress of one lane in sampler steps, with an ETA in seconds (NaN until it can be estimated). */
    record Progress(int lane, long done, long total, double etaSeconds) implements SessionEvent {}

    /** An intermediate estimate x̂ of the clean images {@code firstImage ..} at {@code step}. */
    record Preview(int lane, long firstImage, int count, int step, int[] shape, double[] x1Hat) implements SessionEvent {}

    /**
     * A per-step trace of a method that tracks values per image (ReNO: "reward" and "noise-norm" after each
     * evaluation), as means over the images of the chunk that starts at {@code firstImage}.
     */
    record Trace(int lane, long firstImage, int step, java.util.Map<String, Double> means) implements SessionEvent {}

    /** A finished batch, the lane's statistics including it, and the record of what ran so far. */
    record BatchDone(int lane, SampleBatch batch, LaneStats stats, java.util.Map<String, Object> record)
            implements SessionEvent {}

    /** A lane reached DONE, STOPPED or FAILED (with the message), with the record of what ran (empty if nothing did). */
    record LaneFinished(int lane, LaneStatus status, String message, LaneStats stats,
                        java.util.Map<String, Object> record) implements SessionEvent {}

    /** The whole run is over; {@code stopped} when the user stopped it. */
    record Finished(boolean stopped, double wallSeconds) implements SessionEvent {}
}
