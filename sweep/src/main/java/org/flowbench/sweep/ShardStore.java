package org.flowbench.sweep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.app.session.LaneShard;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;

/**
 * A sweep's output folder as a ledger of finished shards: {@code DIR/sweep.json} says which sweep it is (the plan's
 * fingerprint), {@code DIR/shards/KEY.shard} holds each finished shard's result, written atomically once. A restarted
 * sweep runs only the shards without a file, and each shard is merged once, from its file.
 */
final class ShardStore {
    private final Path dir;

    ShardStore(Path dir) {
        this.dir = dir;
    }

    /** Opens the folder for this plan: new, or holding the same sweep (else one clear error, nothing changed). */
    static ShardStore open(Path dir, SweepPlan plan, String command) throws IOException {
        Path marker = dir.resolve("sweep.json");
        String fp = plan.fingerprint();
        if (Files.isRegularFile(marker)) {
            String had = Json.MAPPER.readTree(marker.toFile()).path("fingerprint").asText();
            if (!had.equals(fp)) {
                throw new FlowbenchException(dir + " holds the shards of another sweep (other lanes, grid, seeds, n or"
                        + " shard size)", "choose another --out, or delete " + dir + " to start again");
            }
        } else if (Files.isDirectory(dir) && !isEmpty(dir)) {
            throw new FlowbenchException(dir + " is not empty and holds no sweep", "choose another --out");
        } else {
            Files.createDirectories(dir);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "flowbench-sweep/1");
            m.put("fingerprint", fp);
            m.put("command", command);
            m.put("seeds", plan.seeds());
            m.put("n", plan.project().n());
            m.put("shardImages", plan.shardImages());
            m.put("lanes", plan.project().lanes().stream().map(l -> l.name()).toList());
            AtomicFiles.write(marker, Json.MAPPER.writeValueAsBytes(m));
        }
        Files.createDirectories(dir.resolve("shards"));
        return new ShardStore(dir);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    Path dir() {
        return dir;
    }

    private Path file(LaneShard.Key key) {
        return dir.resolve("shards").resolve(key.id() + ".shard");
    }

    boolean done(LaneShard.Key key) {
        return Files.isRegularFile(file(key));
    }

    void put(LaneShard.Result r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            AtomicFiles.write(file(r.key()), bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LaneShard.Result get(LaneShard.Key key) {
        Path f = file(key);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
            LaneShard.Result r = (LaneShard.Result) in.readObject();
            if (!r.key().equals(key)) {
                throw new FlowbenchException(f + " holds shard " + r.key().id() + ", not " + key.id());
            }
            return r;
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new FlowbenchException(f + " cannot be read (" + e + ")", "delete it; the sweep will run that shard"
                    + " again");
        }
    }
}
