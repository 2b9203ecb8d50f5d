package org.flowbench.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.session.LaneShard;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.samplers.ParamSpec;
import org.flowbench.samplers.SamplerRegistry;

/**
 * What a sweep runs: the project's lanes, each expanded over the parameter grid it takes (a lane whose sampler has no
 * such parameter stays as it is; lanes that the grid makes identical run once, under the first one's name), × seeds ×
 * n images, cut into shards of whole batches. The sweep's project is the
 * expanded one (one lane per lane × grid point); its results are one entry per lane × grid point × seed.
 *
 * @param project the expanded project (resolved, with the sweep's n and a batch that divides the shards)
 * @param seeds the seeds, each a run of every lane
 * @param shardImages images per shard (a multiple of the batch; the last shard of a lane may be shorter)
 */
public record SweepPlan(Project project, List<Long> seeds, int shardImages) {
    public SweepPlan {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new FlowbenchException("a sweep needs at least one seed");
        }
        if (shardImages <= 0 || shardImages % project.batch() != 0) {
            throw new FlowbenchException("shards of " + shardImages + " images do not fall on batches of "
                    + project.batch(), "give --shard-images as a multiple of the project's batch");
        }
    }

    /**
     * The plan for a project: lanes × the grid's points (parameter → values; the cartesian product), seeds, n images
     * per lane and seed (null: the project's), cut into shards of about {@code shardImages} images rounded up to the
     * batch, or into {@code shardsPerLane} equal shards.
     */
    public static SweepPlan of(Project p, Map<String, List<String>> grid, List<Long> seeds, Integer n,
            Integer shardImages, Integer shardsPerLane) {
        int images = n != null ? n : p.n();
        if (images <= 0) {
            throw new FlowbenchException("--n must be positive, not " + images);
        }
        int batch = Math.min(p.batch(), images);
        List<LaneSpec> lanes = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> used = new LinkedHashSet<>();
        Set<List<Object>> configurations = new java.util.HashSet<>();
        for (LaneSpec lane : p.lanes()) {
            Set<String> own = new LinkedHashSet<>();
            for (ParamSpec s : SamplerRegistry.get(lane.sampler()).params()) {
                own.add(s.name());
            }
            List<Map<String, String>> points = new ArrayList<>();
            points.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<String>> g : grid.entrySet()) {
                if (!own.contains(g.getKey())) {
                    continue;
                }
                used.add(g.getKey());
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> pt : points) {
                    for (String v : g.getValue()) {
                        Map<String, String> q = new LinkedHashMap<>(pt);
                        q.put(g.getKey(), v);
                        next.add(q);
                    }
                }
                points = next;
            }
            for (Map<String, String> pt : points) {
                Map<String, String> params = new LinkedHashMap<>(lane.params());
                params.putAll(pt);
                // lanes that differed only in a parameter the grid sets are one lane at each grid point
                if (!configurations.add(List.of(lane.sampler(), String.valueOf(lane.model()), params))) {
                    continue;
                }
                StringBuilder name = new StringBuilder(lane.name());
                pt.forEach((k, v) -> name.append(" · ").append(k).append('=').append(v));
                if (!names.add(name.toString())) {
                    throw new FlowbenchException("the sweep would have two lanes named '" + name + "'",
                            "give the project's lanes distinct names");
                }
                lanes.add(new LaneSpec(name.toString(), lane.sampler(), params, lane.model(), null));
            }
        }
        for (String g : grid.keySet()) {
            if (!used.contains(g)) {
                throw new FlowbenchException("no lane's sampler takes the grid's parameter '" + g + "'",
                        "run 'flowbench samplers' to see each sampler's parameters");
            }
        }
        Project expanded = ProjectFiles.resolved(p.withLanes(lanes).withRun(p.prompt(), images, batch, seeds.get(0),
                p.seedPolicy()).withResults(List.of()));
        int size;
        if (shardsPerLane != null) {
            if (shardsPerLane <= 0) {
                throw new FlowbenchException("--shards must be positive");
            }
            int batches = (images + batch - 1) / batch;
            size = Math.max(1, (batches + shardsPerLane - 1) / shardsPerLane) * batch;
        } else {
            int want = shardImages != null ? shardImages : 2048;
            size = Math.max(1, (want + batch - 1) / batch) * batch;
        }
        return new SweepPlan(expanded, seeds, size);
    }

    /** Every shard: lanes × seeds × image ranges. */
    public List<LaneShard.Key> shards() {
        List<LaneShard.Key> keys = new ArrayList<>();
        for (long seed : seeds) {
            for (int lane = 0; lane < project.lanes().size(); lane++) {
                for (int from = 0; from < project.n(); from += shardImages) {
                    keys.add(new LaneShard.Key(lane, seed, from, Math.min(project.n(), from + shardImages)));
                }
            }
        }
        return keys;
    }

    /** A fingerprint of what the sweep computes (the expanded project and the seeds), so that a resumed sweep is the same. */
    public String fingerprint() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(ProjectFiles.toBytes(project));
            md.update(seeds.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(Integer.toString(shardImages).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
