package org.flowbench.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.junit.jupiter.api.Test;

/**
 * Same seed ⇒ same bytes: the samples (IEEE doubles) and NFE of every sampler on the analytic models, hashed and
 * compared with {@code golden/samplers.json}. Written before the Engine v2 move so that the move cannot change a
 * result unnoticed. A commit that changes a sampler on purpose regenerates the file
 * ({@code mvn -pl samplers test -Dtest=GoldenSamplesTest -Dgolden.update=true}) and says why.
 */
class GoldenSamplesTest {
    private static final String FILE = "golden/samplers.json";

    /** One golden case: a model, a sampler with parameters, a request. */
    record Case(String name, String model, String sampler, Map<String, String> params, int n, int batch, int[] labels) {}

    static List<Case> cases() {
        int[] ring = {0, 1, 2, 3, 4, 5, 6, 7, 0, 3, -1, 5};
        return List.of(
                new Case("euler-3modes", "builtin:3modes", "euler", Map.of("steps", "8"), 12, 5, null),
                new Case("euler-edm-3modes", "builtin:3modes", "euler", Map.of("steps", "8", "grid", "edm"), 12, 5, null),
                new Case("euler-list-3modes", "builtin:3modes", "euler",
                        Map.of("steps", "3", "grid", "list", "times", "0,0.5,0.9,1"), 12, 5, null),
                new Case("heun-3modes", "builtin:3modes", "heun", Map.of("steps", "8"), 12, 5, null),
                new Case("rk4-3modes", "builtin:3modes", "rk4", Map.of("steps", "4"), 12, 5, null),
                new Case("rk45-3modes", "builtin:3modes", "rk45", Map.of(), 12, 5, null),
                new Case("euler-vp", "builtin:3modes-vp", "euler", Map.of("steps", "10"), 12, 5, null),
                new Case("heun-ve", "builtin:3modes-ve", "heun", Map.of("steps", "10", "grid", "edm"), 12, 5, null),
                new Case("em-3modes", "builtin:3modes", "euler-maruyama", Map.of("steps", "20"), 12, 5, null),
                new Case("em-vp", "builtin:3modes-vp", "euler-maruyama", Map.of("steps", "20", "noise", "0.5"), 12, 5, null),
                new Case("euler-8ring-labels", "builtin:8ring", "euler", Map.of("steps", "6"), 12, 5, ring),
                new Case("boss-euler", "builtin:boss-toy", "boss",
                        Map.of("steps", "4", "fine", "20", "cost-samples", "30"), 12, 5, null),
                new Case("boss-heun", "builtin:boss-toy", "boss",
                        Map.of("steps", "3", "fine", "16", "cost-samples", "25", "solver", "heun"), 12, 5, null),
                new Case("fkc-cfg", "builtin:8ring", "fkc",
                        Map.of("steps", "10", "particles", "4", "guidance", "2"), 12, 8, ring),
                new Case("fkc-anneal-all", "builtin:3modes", "fkc",
                        Map.of("steps", "10", "particles", "4", "target", "anneal", "output", "all"), 12, 5, null),
                new Case("fkc-anneal-best", "builtin:3modes", "fkc",
                        Map.of("steps", "8", "particles", "3", "target", "anneal", "output", "best-weight",
                                "resample", "multinomial", "variant", "tempered-noise"), 12, 6, null),
                new Case("fkc-product-exact", "builtin:3modes", "fkc",
                        Map.of("steps", "8", "particles", "4", "target", "product", "expert2", "builtin:checker",
                                "init", "exact", "ess-threshold", "0.5", "center", "true"), 12, 8, null),
                new Case("fkc-uncorrected", "builtin:3modes", "fkc",
                        Map.of("steps", "8", "particles", "2", "target", "anneal", "correct", "false"), 12, 4, null));
    }

    static String fingerprint(Case c) {
        try (FlowModel m = Models.open(c.model())) {
            SamplingRequest req = new SamplingRequest(11, 0, c.n(), c.batch(), c.labels(), 0);
            SampleBatch b = SamplerRegistry.create(c.sampler(), c.params())
                    .sample(req, m, ProgressListener.NONE, new CancellationToken());
            ByteBuffer buf = ByteBuffer.allocate(8 * (b.samples().length + b.nfe().length));
            for (double v : b.samples()) {
                buf.putDouble(v);
            }
            for (long v : b.nfe()) {
                buf.putLong(v);
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void samplesAreTheGoldenBytes() throws IOException {
        Map<String, String> now = new LinkedHashMap<>();
        for (Case c : cases()) {
            now.put(c.name(), fingerprint(c));
        }
        if (Boolean.getBoolean("golden.update")) {
            Path out = Path.of("src/test/resources", FILE);
            Files.createDirectories(out.getParent());
            Json.MAPPER.writeValue(out.toFile(), new TreeMap<>(now));
            return;
        }
        Map<String, String> golden;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FILE)) {
            assertTrue(in != null, FILE + " is missing");
            golden = Json.MAPPER.readValue(in, new TypeReference<Map<String, String>>() {});
        }
        assertEquals(new TreeMap<>(golden).keySet(), new TreeMap<>(now).keySet(), "golden cases");
        for (Map.Entry<String, String> e : now.entrySet()) {
            assertEquals(golden.get(e.getKey()), e.getValue(), e.getKey() + ": samples or NFE changed");
        }
    }
}
