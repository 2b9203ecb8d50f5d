package org.flowbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor without the built-in packages gets them from the broadcast: after serialisation (as Spark ships it)
 * the installed copy opens as the same model (same hash), with the FID statistics beside the classifier, and no
 * training checkpoint travels.
 */
class ModelShipmentTest {
    @TempDir
    Path home;

    @Test
    void anExecutorWithoutModelsOpensTheDriversPackages() throws Exception {
        String hash;
        try (FlowModel m = Models.open("builtin:fashion-flow")) {
            hash = m.hash();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ModelShipment.fromDriver());
        }
        ModelShipment shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (ModelShipment) in.readObject();
        }
        shipped.installInto(home);
        assertTrue(Files.isRegularFile(home.resolve("models/fashion-classifier/fashion-mnist-test.stats")));
        assertFalse(Files.exists(home.resolve("models/fashion-mar/checkpoint.safetensors")));
        String before = System.getProperty("flowbench.home");
        System.setProperty("flowbench.home", home.toString());
        try (FlowModel m = Models.open("builtin:fashion-flow")) {
            assertEquals(hash, m.hash());
        } finally {
            if (before == null) {
                System.clearProperty("flowbench.home");
            } else {
                System.setProperty("flowbench.home", before);
            }
        }
    }
}
