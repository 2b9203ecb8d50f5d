package org.flowbench.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.session.LaneShard;
import org.flowbench.engine.FlowbenchException;

/**
 * Runs a sweep's pending shards on Spark: one small job per shard (so that the driver records each shard as soon as
 * it finishes, whatever the order), all submitted at once for the scheduler to spread over the executors. A task that
 * fails is retried by Spark ({@code spark.task.maxFailures}); a shard's result is written once, by the driver.
 */
final class SparkSweep {
    private SparkSweep() {}

    /**
     * Runs at most {@code maxShards} (null: all) of the shards not yet in the store; returns how many ran.
     *
     * @param master Spark's master URL, or null to keep the one spark-submit set (else local[*])
     */
    static int run(SweepPlan plan, ShardStore store, String master, Integer maxShards, Consumer<String> progress)
            throws InterruptedException {
        List<LaneShard.Key> pending = new ArrayList<>(plan.shards().stream().filter(k -> !store.done(k)).toList());
        int total = plan.shards().size();
        int before = total - pending.size();
        if (maxShards != null && pending.size() > maxShards) {
            pending = new ArrayList<>(pending.subList(0, maxShards));
        }
        if (pending.isEmpty()) {
            return 0;
        }
        Project p = plan.project();
        Map<Integer, String> hashes = new LinkedHashMap<>();
        for (int i = 0; i < p.lanes().size(); i++) {
            LaneSpec l = p.lanes().get(i);
            hashes.put(i, LaneShard.model(l.modelOr(p.model()), null).hash());
        }
        SparkConf conf;
        try {
            conf = new SparkConf().setAppName("flowbench sweep " + p.name());
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // Spark resolves this machine's host name when it starts
            throw new FlowbenchException("Spark cannot start: " + rootMessage(e), "where the host name does not "
                    + "resolve, set SPARK_LOCAL_IP=127.0.0.1 for a local sweep (./flowbench does), or fix /etc/hosts");
        }
        if (master != null) {
            conf.setMaster(master);
        } else {
            conf.setIfMissing("spark.master", "local[*]");
        }
        conf.setIfMissing("spark.ui.enabled", "false");

        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            ShardTask task = new ShardTask(p, hashes, sc.broadcast(ModelShipment.fromDriver()));
            Map<LaneShard.Key, JavaFutureAction<List<LaneShard.Result>>> running = new LinkedHashMap<>();
            for (LaneShard.Key k : pending) {
                running.put(k, sc.parallelize(List.of(k), 1).map(task).collectAsync());
            }
            int done = 0;
            while (!running.isEmpty()) {
                boolean any = false;
                for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getValue().isDone()) {
                        continue;
                    }
                    it.remove();
                    any = true;
                    List<LaneShard.Result> r;
                    try {
                        r = e.getValue().get();
                    } catch (java.util.concurrent.ExecutionException ex) {
                        running.values().forEach(f -> f.cancel(true));
                        throw new FlowbenchException("shard " + e.getKey().id() + " failed after Spark's retries: "
                                + rootMessage(ex), "the shards finished so far are kept; run the sweep again to go on");
                    }
                    store.put(r.get(0));
                    done++;
                    progress.accept(String.format(java.util.Locale.ROOT, "%d/%d shards (%s)", before + done, total,
                            e.getKey().id()));
                }
                if (!any) {
                    Thread.sleep(20);
                }
            }
            return done;
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
