package org.flowbench.app.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;

/**
 * A comparison as saved in a {@code .flowbench} file: the model (reference and content hash), the prompt, how many
 * samples to draw and in which batches, the seed and its policy, the lanes, and the results of the last run.
 * Immutable; edit through the {@code with*} methods.
 */
public record Project(int schemaVersion, String name, String model, String modelHash, String prompt, int n, int batch,
                      long seed, SeedPolicy seedPolicy, int previewEvery, String referenceStats, List<LaneSpec> lanes,
                      List<LaneResult> results) {
    /** The schema this version writes; files with a higher number are refused, lower ones migrated. */
    public static final int SCHEMA_VERSION = 2;

    public Project {
        lanes = List.copyOf(lanes == null ? List.of() : lanes);
        results = List.copyOf(results == null ? List.of() : results);
        seedPolicy = seedPolicy == null ? SeedPolicy.FIXED : seedPolicy;
        prompt = prompt == null ? "" : prompt;
    }

    /** The ready comparison a new user sees: Euler 4/8/32 steps and Heun 8 on the analytic 3-mode mixture. */
    /**
     * What a new project and plain {@code flowbench} open: {@link #fashionComparison()} when the built-in
     * Fashion-MNIST flow is installed (package or training checkpoint), else {@link #analyticComparison()}.
     */
    public static Project defaultComparison() {
        Path models = PackageResolver.modelsDir();
        boolean fashion = models != null && (ModelPackage.isPackage(models.resolve("fashion-flow"))
                || Files.isRegularFile(models.resolve("fashion-flow").resolve("checkpoint.safetensors")));
        return fashion ? fashionComparison() : analyticComparison();
    }

    /** Euler 4/8/32 and Heun 8 on the analytic 2-D mixture builtin:3modes (exact FID and mode TV), N 2000. */
    public static Project analyticComparison() {
        return new Project(SCHEMA_VERSION, "Untitled", "builtin:3modes", null, "", 2000, 250, 0, SeedPolicy.FIXED, 2,
                "exact", comparisonLanes(), List.of());
    }

    /**
     * Euler 4/8/32 and Heun 8 on builtin:fashion-flow, prompted with every class in turn (the model's figures are for
     * prompted samples; unconditionally it is several times worse in FID), with the domain FID statistics the model
     * declares; N 32 in batches of 16 (two points per FID-vs-N curve).
     */
    public static Project fashionComparison() {
        return new Project(SCHEMA_VERSION, "Untitled", "builtin:fashion-flow", null, "all", 32, 16, 0, SeedPolicy.FIXED,
                2, "default", comparisonLanes(), List.of());
    }

    private static List<LaneSpec> comparisonLanes() {
        List<LaneSpec> lanes = new ArrayList<>();
        lanes.add(new LaneSpec("Euler 4", "euler", java.util.Map.of("steps", "4")));
        lanes.add(new LaneSpec("Euler 8", "euler", java.util.Map.of("steps", "8")));
        lanes.add(new LaneSpec("Euler 32", "euler", java.util.Map.of("steps", "32")));
        lanes.add(new LaneSpec("Heun 8", "heun", java.util.Map.of("steps", "8")));
        return lanes;
    }

    public Project withLanes(List<LaneSpec> newLanes) {
        return new Project(schemaVersion, name, model, modelHash, prompt, n, batch, seed, seedPolicy, previewEvery,
                referenceStats, newLanes, results);
    }

    /** The same project labelled with the schema this version writes (after migration and resolution). */
    public Project withCurrentSchema() {
        return new Project(SCHEMA_VERSION, name, model, modelHash, prompt, n, batch, seed, seedPolicy, previewEvery,
                referenceStats, lanes, results);
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
