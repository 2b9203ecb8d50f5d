package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the conformance suite asks of every sampler, for boss and fkc with default parameters on builtin:3modes. */
class BossFkcDefaultsTest {
    @ParameterizedTest
    @ValueSource(strings = {"boss", "fkc"})
    void defaultsBehave(String id) {
        FlowModel m = Models.open("builtin:3modes");
        Sampler s = SamplerRegistry.create(id, Map.of());
        SampleBatch a = s.sample(new SamplingRequest(3, 0, 10, 3, null, 0), m, ProgressListener.NONE,
                CancellationToken.NONE);
        SampleBatch b = s.sample(new SamplingRequest(3, 0, 10, 10, null, 0), m, ProgressListener.NONE,
                CancellationToken.NONE);
        SampleBatch c = SamplerRegistry.create(id, Map.of()).sample(new SamplingRequest(3, 0, 10, 3, null, 0), m,
                ProgressListener.NONE, CancellationToken.NONE);
        assertArrayEquals(a.samples(), b.samples(), "batch invariance");
        assertArrayEquals(a.samples(), c.samples(), "determinism");
        assertArrayEquals(a.nfe(), b.nfe());
        long expected = id.equals("boss") ? 8 : 8 * 100;
        assertTrue(Arrays.stream(a.nfe()).allMatch(v -> v == expected), Arrays.toString(a.nfe()));
        assertEquals(20, a.samples().length);
        for (String key : RunManifest.REQUIRED) {
            assertTrue(a.manifest().entries().containsKey(key), key);
        }
        CancellationToken cancel = new CancellationToken();
        int[] steps = {0};
        ProgressListener l = new ProgressListener() {
            @Override
            public void progress(long done, long total, String what) {
                if (++steps[0] == 2) {
                    cancel.cancel();
                }
            }
        };
        assertThrows(CancellationToken.CancelledException.class,
                () -> s.sample(new SamplingRequest(3, 0, 10, 10, null, 0), m, l, cancel));
        assertEquals(2, steps[0]);
    }
}
