package org.flowbench.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir
    Path dir;

    @Test
    void gridDecodesWithImageIoAndKeepsText() throws Exception {
        double[] img = new double[2 * 2 * 3];
        img[0] = -1;
        img[1] = 1;
        img[6] = 0;
        Path f = dir.resolve("g.png");
        Png.writeGrid(f, img, 2, 2, 3, 2, Map.of("flowbench.recipe", "{\"sampler\":\"euler\"}"));
        BufferedImage bi = ImageIO.read(f.toFile());
        assertEquals(2 * 3 + 3 * 2, bi.getWidth());
        assertEquals(2 + 2 * 2, bi.getHeight());
        assertEquals(0, bi.getRaster().getSample(2, 2, 0));
        assertEquals(255, bi.getRaster().getSample(3, 2, 0));
        assertEquals(128, bi.getRaster().getSample(2 + 3 + 2, 2, 0));
        assertEquals("{\"sampler\":\"euler\"}", Png.readText(f).get("flowbench.recipe"));
    }
}
