package org.flowbench.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.RunOutput;
import org.flowbench.app.session.LaneShard;

/**
 * Merges a finished sweep's shards (each lane's in image order, the lanes of one seed ranked together as a run ranks
 * them) and writes the folder as {@code flowbench run} writes one: metrics.json and metrics.csv with one entry per
 * lane × grid point × seed ("LANE · PARAM=VALUE · seed S"), the kept samples, and a project with the results that
 * the workbench opens.
 */
final class SweepReport {
    private SweepReport() {}

    static Map<String, Object> write(SweepPlan plan, ShardStore store, String projectName) throws IOException {
        Project p = plan.project();
        List<LaneSpec> lanes = new ArrayList<>();
        List<LaneResult> results = new ArrayList<>();
        List<double[]> kept = new ArrayList<>();
        for (long seed : plan.seeds()) {
            List<LaneShard.Merged> merged = new ArrayList<>();
            for (int lane = 0; lane < p.lanes().size(); lane++) {
                List<LaneShard.Result> shards = new ArrayList<>();
                for (LaneShard.Key k : plan.shards()) {
                    if (k.lane() == lane && k.seed() == seed) {
                        shards.add(store.get(k));
                    }
                }
                merged.add(LaneShard.merge(p, lane, seed, shards));
            }
            List<LaneResult> ranked = LaneShard.results(merged);
            for (int lane = 0; lane < p.lanes().size(); lane++) {
                LaneSpec l = p.lanes().get(lane);
                String name = l.name() + " · seed " + seed;
                lanes.add(new LaneSpec(name, l.sampler(), l.params(), l.model(), l.samplerVersion()));
                LaneResult r = ranked.get(lane);
                results.add(new LaneResult(name, r.status(), r.message(), r.images(), r.metrics(), r.record(),
                        r.history()));
                kept.add(merged.get(lane).kept());
            }
        }
        Project report = p.withLanes(lanes);
        int[] shape = LaneShard.model(p.model(), null).shape();
        return RunOutput.write(store.dir(), projectName, report, results, kept, shape, true);
    }
}
