package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statistics in NumPy's .npz form (pytorch-fid, clean-fid): written by numpy.savez in the fixture
 * (scripts/make_npz_stats_fixture.py), read here; FID equals scipy's value to 1e-9 relative; Flowbench's own .npz
 * round-trips; the unknown measurement is reported, not hidden.
 */
class NpzStatsTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(NpzStatsTest.class.getResource("npz/" + name).toURI());
    }

    @Test
    void fidFromNumpyNpzEqualsScipy() throws Exception {
        ReferenceStats a = ReferenceStats.read(fixture("ref.npz"));
        ReferenceStats b = ReferenceStats.read(fixture("gen.npz"));
        double want = Json.MAPPER.readTree(fixture("fid-expected.json").toFile()).path("fid").asDouble();
        a.requireComparable(b);
        double got = new Frechet.Reference(a.stats()).distanceTo(b.stats());
        assertEquals(want, got, 1e-9 * want);
        assertEquals(16, a.dim());
        assertFalse(a.countKnown(), "ref.npz has no sample count");
        assertTrue(b.countKnown());
        assertEquals(400, b.count());
        assertNotNull(a.comparabilityWarning(b), "an unknown measurement is said");
        assertTrue(ReferenceStats.isStatsFile(fixture("ref.npz")));
    }

    @Test
    void flowbenchWritesNpzThatReadsBackExactly() throws Exception {
        ReferenceStats b = ReferenceStats.read(fixture("gen.npz"));
        Path out = dir.resolve("round.npz");
        b.writeNpz(out);
        ReferenceStats again = ReferenceStats.read(out);
        assertArrayEquals(b.stats().mean(), again.stats().mean(), 0);
        assertArrayEquals(b.stats().covariance(), again.stats().covariance(), 1e-15);
        assertEquals(400, again.count());
    }

    @Test
    void anNpzWithoutStatisticsOrWithTheWrongDimensionIsOneClearError() throws Exception {
        Path other = dir.resolve("other.npz");
        org.flowbench.engine.io.Npz.write(other, java.util.Map.of("x", new org.flowbench.engine.io.Npz.Entry(
                new int[] {2}, new double[] {1, 2})));
        FlowbenchException e = assertThrows(FlowbenchException.class, () -> ReferenceStats.read(other));
        assertTrue(e.getMessage().contains("no mu and sigma"), e.getMessage());
        Path small = dir.resolve("small.npz");
        org.flowbench.engine.io.Npz.write(small, java.util.Map.of("mu", new org.flowbench.engine.io.Npz.Entry(
                new int[] {2}, new double[] {0, 0}), "sigma", new org.flowbench.engine.io.Npz.Entry(new int[] {2, 2},
                new double[] {1, 0, 0, 1})));
        ReferenceStats s = ReferenceStats.read(small);
        FlowbenchException d = assertThrows(FlowbenchException.class,
                () -> s.requireComparable(ReferenceStats.read(fixture("ref.npz"))));
        assertTrue(d.getMessage().contains("feature dimensions differ: 2 vs 16"), d.getMessage());
        assertTrue(Files.size(small) > 0);
    }
}
