package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultReferenceStatsTest {
    @Test
    void aPackageDeclaresItsStatisticsRelativeToItsFolder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), "{\"name\":\"x\",\"kind\":\"flow\","
                + "\"referenceStats\":\"ref/test.stats\"}");
        assertEquals(Optional.empty(), PackageResolver.defaultReferenceStats(dir.toString()), "file not there yet");
        Files.createDirectories(dir.resolve("ref"));
        Files.writeString(dir.resolve("ref/test.stats"), "x");
        assertEquals(Optional.of(dir.resolve("ref/test.stats").toAbsolutePath().normalize()),
                PackageResolver.defaultReferenceStats(dir + "?cfg=2"));
        Files.writeString(dir.resolve(ModelPackage.MANIFEST), "{\"name\":\"x\",\"kind\":\"flow\"}");
        assertEquals(Optional.empty(), PackageResolver.defaultReferenceStats(dir.toString()), "none declared");
        assertEquals(Optional.empty(), PackageResolver.defaultReferenceStats("builtin:3modes"));
    }

    @Test
    void theBuiltinFlowUsesTheClassifiersTestStatistics() {
        Path models = PackageResolver.modelsDir();
        Path stats = models == null ? null : models.resolve("fashion-classifier/fashion-mnist-test.stats");
        org.junit.jupiter.api.Assumptions.assumeTrue(stats != null && Files.isRegularFile(stats)
                && Files.isDirectory(models.resolve("fashion-flow")), "built-in models not installed");
        Optional<Path> p = PackageResolver.defaultReferenceStats("builtin:fashion-flow");
        assertTrue(p.isPresent());
        assertEquals(stats.toAbsolutePath().normalize(), p.get());
    }
}
