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

    /** What a generic PNG reader sees: ImageIO's standard-format metadata lists every text entry, iTXt included. */
    static Map<String, String> genericText(Path f) throws Exception {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            javax.imageio.ImageReader r = ImageIO.getImageReaders(in).next();
            r.setInput(in);
            org.w3c.dom.Node root = r.getImageMetadata(0).getAsTree("javax_imageio_1.0");
            for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeName().equals("Text")) {
                    for (org.w3c.dom.Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                        out.put(e.getAttributes().getNamedItem("keyword").getNodeValue(),
                                e.getAttributes().getNamedItem("value").getNodeValue());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void textIsUtf8ITxtThatGenericReadersShow() throws Exception {
        String prompt = "Sandal — naïve ✓ 靴";
        Path f = dir.resolve("u.png");
        AtomicFiles.write(f, Png.encode(2, 1, 3, new byte[6], Map.of("parameters", prompt + "\nSteps: 8")));
        assertEquals(prompt + "\nSteps: 8", Png.readText(f).get("parameters"));
        assertEquals(prompt + "\nSteps: 8", genericText(f).get("parameters"));
        assertEquals(2, ImageIO.read(f.toFile()).getWidth());
    }

    @Test
    void readsTextThatOtherWritersPutInTextAndCompressedChunks() throws Exception {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        Path f = dir.resolve("other.png");
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            w.setOutput(out);
            javax.imageio.metadata.IIOMetadata meta = w.getDefaultImageMetadata(
                    javax.imageio.ImageTypeSpecifier.createFromRenderedImage(img), null);
            javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode("javax_imageio_png_1.0");
            javax.imageio.metadata.IIOMetadataNode t = new javax.imageio.metadata.IIOMetadataNode("tEXt");
            javax.imageio.metadata.IIOMetadataNode te = new javax.imageio.metadata.IIOMetadataNode("tEXtEntry");
            te.setAttribute("keyword", "Comment");
            te.setAttribute("value", "caf\u00e9");
            t.appendChild(te);
            javax.imageio.metadata.IIOMetadataNode z = new javax.imageio.metadata.IIOMetadataNode("zTXt");
            javax.imageio.metadata.IIOMetadataNode ze = new javax.imageio.metadata.IIOMetadataNode("zTXtEntry");
            ze.setAttribute("keyword", "workflow");
            ze.setAttribute("text", "{\"nodes\":[]}");
            ze.setAttribute("compressionMethod", "deflate");
            z.appendChild(ze);
            javax.imageio.metadata.IIOMetadataNode i = new javax.imageio.metadata.IIOMetadataNode("iTXt");
            javax.imageio.metadata.IIOMetadataNode ie = new javax.imageio.metadata.IIOMetadataNode("iTXtEntry");
            ie.setAttribute("keyword", "prompt");
            ie.setAttribute("compressionFlag", "TRUE");
            ie.setAttribute("compressionMethod", "0");
            ie.setAttribute("languageTag", "en");
            ie.setAttribute("translatedKeyword", "prompt");
            ie.setAttribute("text", "Stiefel \u2713");
            i.appendChild(ie);
            root.appendChild(t);
            root.appendChild(z);
            root.appendChild(i);
            meta.mergeTree("javax_imageio_png_1.0", root);
            w.write(new javax.imageio.IIOImage(img, null, meta));
        } finally {
            w.dispose();
        }
        Map<String, String> text = Png.readText(f);
        assertEquals("caf\u00e9", text.get("Comment"));
        assertEquals("{\"nodes\":[]}", text.get("workflow"));
        assertEquals("Stiefel \u2713", text.get("prompt"));
    }

    @Test
    void aFileThatIsNotAPngSaysSo() throws Exception {
        Path f = dir.resolve("x.png");
        java.nio.file.Files.writeString(f, "not an image");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> Png.readText(f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not a PNG"), e.getMessage());
    }
}
