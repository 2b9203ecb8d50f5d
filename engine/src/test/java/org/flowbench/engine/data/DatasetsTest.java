package org.flowbench.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void npyImagesWithLabels() throws Exception {
        Path f = dir.resolve("x.npy");
        Npy.writeFloat32(f, new int[] {2, 1, 2, 2}, new double[] {-1, 0, 0.5, 1, 1, 1, -1, -1});
        Npy.writeFloat64(dir.resolve("x.labels.npy"), new int[] {2}, new double[] {1, 0});
        ImageDataset d = Datasets.load(f, "train");
        assertArrayEquals(new int[] {1, 2, 2}, d.shape());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertEquals(List.of("class 0", "class 1"), d.classNames());
        assertEquals(0.5f, d.pixels()[2]);
        Path bad = dir.resolve("bad.npy");
        Npy.writeFloat32(bad, new int[] {1, 2, 2}, new double[] {0, 3.5, 0, 0});
        assertThrows(FlowbenchException.class, () -> Datasets.load(bad, "train"));
    }

    @Test
    void imageFolderWithClassSubfolders() throws Exception {
        for (String c : List.of("cats", "dogs")) {
            Files.createDirectories(dir.resolve("data").resolve(c));
            BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSample(0, 0, 0, c.equals("cats") ? 255 : 0);
            ImageIO.write(img, "png", dir.resolve("data").resolve(c).resolve("a.png").toFile());
        }
        ImageDataset d = Datasets.load(dir.resolve("data"), "train");
        assertEquals(List.of("cats", "dogs"), d.classNames());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertArrayEquals(new int[] {1, 2, 3}, d.shape());
        assertEquals(1f, d.pixels()[0]);
        assertEquals(-1f, d.pixels()[6]);
    }
}
