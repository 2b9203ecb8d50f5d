package org.flowbench.sweep;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.session.LaneShard;

/**
 * One shard as a Spark task: the sweep's project travels as its JSON (parsed once per executor), the models' hashes
 * as the driver saw them and the built-in packages as a broadcast ({@link ModelShipment}); the executor opens each
 * model once ({@link LaneShard#model}) and refuses one whose hash differs.
 */
final class ShardTask implements Function<LaneShard.Key, LaneShard.Result> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Project> PROJECTS = new ConcurrentHashMap<>();

    private final String projectJson;
    private final Map<Integer, String> hashes;
    private final Broadcast<ModelShipment> models;

    ShardTask(Project project, Map<Integer, String> hashes, Broadcast<ModelShipment> models) {
        this.projectJson = new String(ProjectFiles.toBytes(project), StandardCharsets.UTF_8);
        this.hashes = Map.copyOf(hashes);
        this.models = models;
    }

    @Override
    public LaneShard.Result call(LaneShard.Key key) {
        models.value().ensureInstalled();
        Project p = PROJECTS.computeIfAbsent(projectJson, j -> ProjectFiles.parse(j.getBytes(StandardCharsets.UTF_8),
                "the sweep's project"));
        return LaneShard.run(p, key, hashes.get(key.lane()));
    }
}
