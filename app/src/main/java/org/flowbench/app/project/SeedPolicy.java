package org.flowbench.app.project;

/** How the seed changes between runs: kept, incremented by one after each run, or drawn at random. */
public enum SeedPolicy {
    FIXED, INCREMENT, RANDOM;

    /** The seed for the next run after one with {@code seed}. */
    public long next(long seed, java.util.random.RandomGenerator random) {
        return switch (this) {
            case FIXED -> seed;
            case INCREMENT -> seed + 1;
            case RANDOM -> random.nextLong() & Long.MAX_VALUE;
        };
    }
}
