package org.flowbench.engine.model;

/**
 * Step times a model was made for and ships with: a BOSS-straightened student samples best on the Bellman times it
 * was fine-tuned on. Samplers whose grid is {@code auto} use them for that step count.
 */
public interface StoredSchedule {
    /** The K + 1 times for {@code steps} steps, or null if the model stores none for that count. */
    double[] storedTimes(int steps);
}
