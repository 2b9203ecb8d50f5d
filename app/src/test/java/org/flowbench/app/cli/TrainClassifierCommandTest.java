package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.model.pkg.ClassifierModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'train classifier' with a shape of its own (the judge's kind of package): the config travels into the package. */
class TrainClassifierCommandTest {
    @TempDir
    Path dir;

    @Test
    void aClassifierOfAnotherShapeIsWrittenAndOpens() throws Exception {
        int n = 40;
        double[] x = new double[n * 784];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int e = 0; e < 784; e++) {
                x[i * 784 + e] = i % 2 == 0 ? -0.5 : 0.5;
            }
        }
        Path data = dir.resolve("toy.npy");
        Npy.writeFloat32(data, new int[] {n, 28, 28}, x);
        Npy.writeFloat32(dir.resolve("toy.labels.npy"), new int[] {n}, y);
        Path out = dir.resolve("judge");
        String[] r = CliTests.run("train", "classifier", "--data", data.toString(), "--name", "toy-judge",
                "--channels", "8,8", "--kernel", "5", "--features", "16", "--steps", "3", "--batch", "8",
                "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode m = Json.MAPPER.readTree(out.resolve("flowbench-model.json").toFile());
        assertEquals("toy-judge", m.path("name").asText());
        assertEquals("[8,8]", m.path("config").path("channels").toString());
        assertEquals(5, m.path("config").path("kernel").asInt());
        try (ClassifierModel c = ClassifierModel.open(ModelPackage.open(out))) {
            assertEquals(16, c.dim());
            assertEquals(2, c.classes());
            assertEquals("classifier:" + out, c.id());
        }
    }

    /** A training folder another live process is writing is refused in one line; a stale lock is taken over. */
    @Test
    void aFolderBeingTrainedIntoIsLocked() throws Exception {
        Path out = dir.resolve("busy");
        Path lock = dir.resolve(".busy.lock");
        // held by a live process (this one)
        java.nio.file.Files.writeString(lock, ProcessHandle.current().pid() + "\n2026-12-05T10:00:00Z\nflowbench x\n");
        String[] r = CliTests.run("train", "classifier", "--steps", "1", "--batch", "4", "--out", out.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        org.junit.jupiter.api.Assertions.assertTrue(r[2].contains("is being written by process "
                + ProcessHandle.current().pid()), r[2]);
        org.junit.jupiter.api.Assertions.assertTrue(!java.nio.file.Files.exists(out), "nothing was written");
        // held by a process that has ended: taken over (the command then runs; here it stops at its own checks)
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        java.nio.file.Files.writeString(lock, gone.pid() + "\n2026-12-05T10:00:00Z\nflowbench x\n");
        String[] again = CliTests.run("train", "classifier", "--steps", "1", "--batch", "4", "--channels", "8",
                "--out", out.toString());
        org.junit.jupiter.api.Assertions.assertTrue(!again[2].contains("is being written"), again[2]);
        org.junit.jupiter.api.Assertions.assertTrue(!java.nio.file.Files.exists(lock), "the lock is released");
    }
}
