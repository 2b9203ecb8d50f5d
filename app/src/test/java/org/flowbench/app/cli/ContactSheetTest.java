package org.flowbench.app.cli;

import static org.flowbench.app.cli.CliTests.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowbench train contact-sheet --compare ... --compare-steps 1,2}: per class a row of the model, then one row of
 * the compared model per step count, all from the same noises (a row sampled the same way twice is pixel-identical).
 */
class ContactSheetTest {
    private static final int TILE = 28;
    private static final int GAP = 2;

    @TempDir
    Path dir;

    @Test
    void rowsPerClassFromTheSameNoises() throws Exception {
        Path png = dir.resolve("sheet.png");
        String[] r = run("train", "contact-sheet", "--sampler", "euler", "--steps", "1", "--per-class", "1",
                "--compare", "builtin:fashion-flow", "--compare-sampler", "euler", "--compare-steps", "1,2",
                "--out", png.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("wrote " + png + " (10 samples"), r[1]);
        assertTrue(r[1].matches("(?s).*classified as the prompted class: \\d+/10 \\(euler 1\\), \\d+/10 \\(euler 1\\), "
                + "\\d+/10 \\(euler 2\\).*"), r[1]);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(TILE + 2 * GAP, img.getWidth());
        assertEquals(30 * TILE + 31 * GAP, img.getHeight(), "10 classes x (model, compare 1 step, compare 2 steps)");
        for (int c = 0; c < 10; c++) {
            int[] model = tile(img, 3 * c);
            assertArrayEquals(model, tile(img, 3 * c + 1), "class " + c + ": the same sampler from the same noise");
            assertFalse(Arrays.equals(model, tile(img, 3 * c + 2)), "class " + c + ": two Euler steps differ");
        }
        assertFalse(Arrays.equals(tile(img, 0), tile(img, 3)), "each class has its own noise and prompt");
    }

    @Test
    void interleavesClassRowsOfEachBlock() {
        double[] a = {1, 1, 2, 2};
        double[] b = {10, 10, 20, 20};
        assertArrayEquals(new double[] {1, 1, 10, 10, 2, 2, 20, 20},
                TrainCommand.ContactSheet.interleaveByClass(List.of(a, b), 2, 2), 0.0);
    }

    private static int[] tile(BufferedImage img, int row) {
        return img.getRGB(GAP, GAP + row * (TILE + GAP), TILE, TILE, null, 0, TILE);
    }
}
