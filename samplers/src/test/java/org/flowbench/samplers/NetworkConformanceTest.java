package org.flowbench.samplers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.TinyPackages;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on a built-in network package: a tiny class-conditional UNet on 1×28×28 images with random weights (float32, DJL). */
class NetworkConformanceTest extends SamplerConformanceSuite {
    /** Static: the suite asks for the model before the first test, when instance fields are not yet injected. */
    @TempDir
    static Path dir;

    @Override
    FlowModel model() {
        Path pkg = dir.resolve("tiny-flow");
        try {
            if (!Files.isDirectory(pkg)) {
                TinyPackages.flow(pkg);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Models.open(pkg.toString());
    }

    @Override
    int label(int i) {
        return i % 3 == 2 ? -1 : i % 10;
    }

    @Override
    double acrossBatchTolerance() {
        return 1e-5;
    }
}
