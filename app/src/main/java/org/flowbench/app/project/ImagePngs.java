package org.flowbench.app.project;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.flowbench.engine.io.AtomicFiles;

/** Writes [C,H,W] images in [−1, 1] as PNG with the recipe (JSON) embedded as a tEXt chunk "flowbench-recipe". */
public final class ImagePngs {
    public static final String RECIPE_KEY = "flowbench-recipe";

    private ImagePngs() {}

    /** Image {@code index} of the flattened batch {@code xs} with shape [C,H,W] (C = 1 or 3) as an AWT image. */
    public static BufferedImage toImage(double[] xs, int index, int[] shape) {
        int c = shape.length == 3 ? shape[0] : 1;
        int h = shape.length == 3 ? shape[1] : shape[0];
        int w = shape.length == 3 ? shape[2] : shape[1];
        int off = index * c * h * w;
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c == 1) {
                    int v = level(xs[off + y * w + x]);
                    img.getRaster().setSample(x, y, 0, v);
                } else {
                    int r = level(xs[off + y * w + x]);
                    int g = level(xs[off + h * w + y * w + x]);
                    int b = level(xs[off + 2 * h * w + y * w + x]);
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    /** [−1, 1] → 0..255, clipped. */
    public static int level(double v) {
        double u = (v + 1) * 127.5;
        return (int) Math.max(0, Math.min(255, Math.round(u)));
    }

    public static void write(Path file, BufferedImage img, String recipeJson) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(ios);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
            IIOMetadataNode text = new IIOMetadataNode("tEXt");
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", RECIPE_KEY);
            entry.setAttribute("value", recipeJson);
            text.appendChild(entry);
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(text);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.write(new IIOImage(img, null, meta));
        } finally {
            writer.dispose();
        }
        byte[] b = bytes.toByteArray();
        AtomicFiles.write(file, b);
    }
}
