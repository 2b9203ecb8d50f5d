package org.flowbench.app.project;

import java.util.ArrayList;
import java.util.List;

/**
 * A comparison as saved in a {@code .flowbench} file: the model (reference and content hash), the prompt, how many
 * samples to draw and in which batches, the seed and its policy, the lanes, and the results of the last run.
 * Immutable; edit through the {@code with*} methods.
 */
public record Project(int schemaVersion, String name, String model, String modelHash, String prompt, int n, int batch,
                      long seed, SeedPolicy seedPolicy, int previewEvery, String referenceStats, List<LaneSpec> lanes,
                      List<LaneResult> results) {
    /** The schema this version writes; files with a higher number are refused, lower ones migrated. */
    public static final int SCHEMA_VERSION = 1;

    public Project {
        lanes = List.copyOf(lanes == null ? List.of() : lanes);
        results = List.copyOf(results == null ? List.of() : results);
        seedPolicy = seedPolicy == null ? SeedPolicy.FIXED : seedPolicy;
        prompt = prompt == null ? "" : prompt;
    }

    /** The ready comparison a new user sees: Euler 4/8/32 steps and Heun 8 on the analytic 3-mode mixture. */
    public static Project defaultComparison() {
        List<LaneSpec> lanes = new ArrayList<>();
        lanes.add(new LaneSpec("Euler 4", "euler", java.util.Map.of("steps", "4")));
        lanes.add(new LaneSpec("Euler 8", "euler", java.util.Map.of("steps", "8")));
        lanes.add(new LaneSpec("Euler 32", "euler", java.util.Map.of("steps", "32")));
        lanes.add(new LaneSpec("Heun 8", "heun", java.util.Map.of("steps", "8")));
        return new Project(SCHEMA_VERSION, "Untitled", "builtin:3modes", null, "", 2000, 250, 0, SeedPolicy.FIXED, 2,
                "exact", lanes, List.of());
    }

    public Project withLanes(List<LaneSpec> newLanes) {
        return new Project(schemaVersion, name, model, modelHash, prompt, n, batch, seed, seedPolicy, previewEvery,
                referenceStats, newLanes, results);
    }

    public Project withResults(List<LaneResult> newResults) {
        return new Project(schemaVersion, name, model, modelHash, prompt, n, batch, seed, seedPolicy, previewEvery,
                referenceStats, lanes, newResults);
    }

    public Project withModel(String ref, String hash) {
        return new Project(schemaVersion, name, ref, hash, prompt, n, batch, seed, seedPolicy, previewEvery,
                referenceStats, lanes, results);
    }

    public Project withName(String newName) {
        return new Project(schemaVersion, newName, model, modelHash, prompt, n, batch, seed, seedPolicy, previewEvery,
                referenceStats, lanes, results);
    }

    public Project withSeed(long newSeed) {
        return new Project(schemaVersion, name, model, modelHash, prompt, n, batch, newSeed, seedPolicy, previewEvery,
                referenceStats, lanes, results);
    }

    public Project withRun(String newPrompt, int newN, int newBatch, long newSeed, SeedPolicy policy) {
        return new Project(schemaVersion, name, model, modelHash, newPrompt, newN, newBatch, newSeed, policy,
                previewEvery, referenceStats, lanes, results);
    }

    public LaneResult result(String lane) {
        return results.stream().filter(r -> r.lane().equals(lane)).findFirst().orElse(null);
    }
}
