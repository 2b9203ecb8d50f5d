package org.flowbench.app.project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Png;
import org.flowbench.engine.run.PngRecipe;

/**
 * Writes one image of a batch of [C,H,W] images in [−1, 1] (C = 1 or 3) as an 8-bit PNG with its recipe
 * ({@link PngRecipe}: JSON and the {@code parameters} text other tools read).
 */
public final class ImagePngs {
    private ImagePngs() {}

    /** [−1, 1] → 0..255, clipped: the quantisation of every Flowbench PNG. */
    public static int level(double v) {
        double u = (v + 1) * 127.5;
        return (int) Math.max(0, Math.min(255, Math.round(u)));
    }

    /** Image {@code index} of the flattened batch with shape [C,H,W] as interleaved 8-bit pixels (grey or RGB). */
    public static byte[] pixels(double[] xs, int index, int[] shape) {
        int c = shape.length == 3 ? shape[0] : 1;
        int h = shape.length == 3 ? shape[1] : shape[0];
        int w = shape.length == 3 ? shape[2] : shape[1];
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("PNG images have 1 or 3 channels, not " + c);
        }
        int off = index * c * h * w;
        byte[] px = new byte[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    px[(y * w + x) * c + k] = (byte) level(xs[off + k * h * w + y * w + x]);
                }
            }
        }
        return px;
    }

    /** Writes image {@code index} of {@code xs} (shape [C,H,W]) with its recipe, atomically. */
    public static void write(Path file, double[] xs, int index, int[] shape, Map<String, Object> recipe)
            throws IOException {
        int c = shape.length == 3 ? shape[0] : 1;
        AtomicFiles.write(file, Png.encode(shape[shape.length - 1], shape[shape.length - 2], c,
                pixels(xs, index, shape), PngRecipe.text(recipe, shape), PngRecipe.UTF8_KEYS));
    }
}
