package org.flowbench.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.engine.FlowbenchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowbench sweep PROJECT}: the project's lanes × a parameter grid × seeds × N, sharded over Apache Spark. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a project as a sweep on Apache Spark: its lanes × a parameter grid × seeds, n images each, "
                + "in shards of whole batches that any executor can run; write DIR/metrics.json as 'flowbench run' "
                + "does, one entry per lane × grid point × seed, with the same figures a single machine gives.",
                "Finished shards are kept in DIR/shards: run the same command again to resume."})
public final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROJECT", description = "the project (.flowbench)")
    Path project;

    @Option(names = "--grid", paramLabel = "NAME=V1,V2,…", description = "a parameter's values, for every lane whose "
            + "sampler takes it (repeatable: the grid is the product); default: the lanes as they are")
    List<String> grid = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "A..B|S1,S2,…", description = "the seeds (default: the project's)")
    String seeds;

    @Option(names = "--n", description = "images per lane, grid point and seed (default: the project's)")
    Integer n;

    @Option(names = "--out", description = "output folder (default NAME-sweep); holds the finished shards")
    Path out;

    @Option(names = "--master", description = "Spark master: local[*] (the default unless spark-submit set one), "
            + "local[K], spark://HOST:7077, yarn, k8s://…")
    String master;

    @Option(names = "--shard-images", description = "images per shard, rounded up to whole batches (default 2048)")
    Integer shardImages;

    @Option(names = "--shards", description = "shards per lane, grid point and seed (instead of --shard-images)")
    Integer shards;

    @Option(names = "--max-shards", description = "run at most this many shards, then stop (run again to go on)")
    Integer maxShards;

    @Override
    public Integer call() throws Exception {
        if (shardImages != null && shards != null) {
            throw new FlowbenchException("--shard-images and --shards exclude each other");
        }
        Project p = ProjectFiles.read(project);
        SweepPlan plan = SweepPlan.of(p, parseGrid(grid), parseSeeds(seeds, p.seed()), n, shardImages, shards);
        if (out == null) {
            out = Path.of(ProjectFiles.stem(project) + "-sweep");
        }
        String command = "flowbench sweep " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        ShardStore store = ShardStore.open(out, plan, command);
        var err = spec.commandLine().getErr();
        int total = plan.shards().size();
        int ran = SparkSweep.run(plan, store, master, maxShards, line -> {
            err.println("sweep: " + line);
            err.flush();
        });
        long left = plan.shards().stream().filter(k -> !store.done(k)).count();
        if (left > 0) {
            spec.commandLine().getOut().printf("ran %d shards; %d of %d left: run the same command again to go on%n",
                    ran, left, total);
            return 0;
        }
        SweepReport.write(plan, store, project.toString());
        spec.commandLine().getOut().printf("ran %d shards (%d were done before) of %d lanes × %d seeds; wrote %s%n",
                ran, total - ran, plan.project().lanes().size(), plan.seeds().size(), out.resolve("metrics.json"));
        return 0;
    }

    /** {@code NAME=V1,V2,…} per entry, in order. */
    static Map<String, List<String>> parseGrid(List<String> entries) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new FlowbenchException("--grid '" + e + "' is not NAME=V1,V2,…", "e.g. --grid steps=1,2,4,8");
            }
            List<String> values = List.of(e.substring(eq + 1).split(","));
            if (values.stream().anyMatch(String::isBlank) || g.put(e.substring(0, eq), values) != null) {
                throw new FlowbenchException("--grid '" + e + "' has an empty value or repeats a parameter");
            }
        }
        return g;
    }

    /** {@code A..B} (inclusive) or {@code S1,S2,…}; the project's seed when absent. */
    static List<Long> parseSeeds(String s, long projectSeed) {
        if (s == null) {
            return List.of(projectSeed);
        }
        try {
            List<Long> out = new ArrayList<>();
            int dots = s.indexOf("..");
            if (dots >= 0) {
                long a = Long.parseLong(s.substring(0, dots).trim());
                long b = Long.parseLong(s.substring(dots + 2).trim());
                if (b < a || b - a >= 10_000) {
                    throw new FlowbenchException("--seeds " + s + " is not a range A..B with A ≤ B (at most 10 000)");
                }
                for (long v = a; v <= b; v++) {
                    out.add(v);
                }
            } else {
                for (String v : s.split(",")) {
                    out.add(Long.parseLong(v.trim()));
                }
            }
            if (out.stream().distinct().count() != out.size()) {
                throw new FlowbenchException("--seeds " + s + " repeats a seed");
            }
            return out;
        } catch (NumberFormatException e) {
            throw new FlowbenchException("--seeds '" + s + "' is not A..B or a list of seeds", "e.g. --seeds 0..2");
        }
    }
}
