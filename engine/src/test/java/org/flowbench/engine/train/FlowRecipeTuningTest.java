package org.flowbench.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.data.ImageDataset;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning a flow: the label-dropout rate reaches the batches and the manifest, and --init starts from a package. */
class FlowRecipeTuningTest {
    @TempDir
    Path dir;

    private static double droppedShare(double rate) {
        ImageDataset ds = TrainerTest.tinyData();
        Trainer.BatchSource<FlowRecipe.Batch> src = FlowRecipe.source(ds, 6, 3, rate);
        SplittableRandom rng = new SplittableRandom(9);
        int dropped = 0;
        int total = 0;
        for (long step = 1; step <= 400; step++) { // trainer steps are 1-based
            for (int l : src.batch(step, rng).labels()) {
                dropped += l < 0 ? 1 : 0;
                total++;
            }
        }
        return dropped / (double) total;
    }

    @Test
    void labelDropoutRateIsTheShareOfNullLabels() {
        assertEquals(0.0, droppedShare(0));
        assertEquals(1.0, droppedShare(1));
        assertEquals(0.5, droppedShare(0.5), 0.03); // 2 400 labels: sd 0.01
        assertEquals(0.1, droppedShare(FlowRecipe.LABEL_DROPOUT), 0.02);
        assertThrows(FlowbenchException.class, () -> new FlowRecipe.Tuning(1.5, null));
    }

    @Test
    void initStartsFromThePackageWeightsAndTheManifestSaysHow() throws Exception {
        FlowUNet net = new FlowUNet(8, 8, 8, 16, 10, 1000);
        ImageDataset ds = TrainerTest.tinyData();
        Trainer<FlowRecipe.Batch> parent = new Trainer<>(Trainer.Config.defaults(1, 4), net.init(4));
        Path parentDir = dir.resolve("parent");
        Recipe r = new Recipe(dir, parentDir, 1, 4, 4, 1e-3, 0, 0.9, false, 1e9, "test", "none");
        FlowRecipe.Tuning tuning = new FlowRecipe.Tuning(0.5, null);
        FlowRecipe.writePackage(r, tuning, net, parent, ds);
        JsonNode m = Json.MAPPER.readTree(parentDir.resolve("flowbench-model.json").toFile());
        assertEquals(0.5, m.path("conditioning").path("labelDropout").asDouble());

        ParamStore fresh = net.init(7);
        String first = fresh.names().get(0);
        assertNotEquals(parent.ema().get(first)[0], fresh.get(first)[0]);
        FlowRecipe.initialiseFrom(parentDir.toString(), net, fresh);
        for (String n : fresh.names()) {
            assertArrayEquals(parent.ema().get(n), fresh.get(n), n);
        }
        FlowbenchException e = assertThrows(FlowbenchException.class,
                () -> FlowRecipe.initialiseFrom(parentDir.toString(), new FlowUNet(8, 16, 16, 16, 10, 1000),
                        new FlowUNet(8, 16, 16, 16, 10, 1000).init(0)));
        assertTrue(e.getMessage().contains("--init needs"), e.getMessage());
    }
}
