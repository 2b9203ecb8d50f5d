package org.flowbench.samplers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.TinyPackages;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on an external TorchScript network (float32, run by the PyTorch engine): the committed ts-gauss fixture. */
class TorchScriptConformanceTest extends SamplerConformanceSuite {
    /** Static: the suite asks for the model before the first test, when instance fields are not yet injected. */
    @TempDir
    static Path dir;

    @Override
    FlowModel model() {
        Path pkg = dir.resolve("ts-gauss");
        try {
            if (!Files.isDirectory(pkg)) {
                Files.createDirectories(pkg);
                for (String f : new String[] {"flowbench-model.json", "model.pt"}) {
                    try (InputStream in = TinyPackages.class.getResourceAsStream("ts-gauss/" + f)) {
                        Files.copy(in, pkg.resolve(f));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Models.open(pkg.toString());
    }

    @Override
    double acrossBatchTolerance() {
        return 1e-5;
    }
}
