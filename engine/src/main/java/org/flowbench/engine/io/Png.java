package org.flowbench.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** PNG writing (8-bit grey or RGB) with tEXt metadata, and reading of the tEXt chunks back. */
public final class Png {
    private Png() {}

    /** Encodes width×height pixels (channels 1 or 3, interleaved, 0..255) with text chunks (Latin-1 keys). */
    public static byte[] encode(int width, int height, int channels, byte[] pixels, Map<String, String> text) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3");
        }
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.writeByte(8);
            h.writeByte(channels == 1 ? 0 : 2);
            h.writeByte(0);
            h.writeByte(0);
            h.writeByte(0);
            chunk(out, "IHDR", ihdr.toByteArray());
            if (text != null) {
                for (Map.Entry<String, String> e : text.entrySet()) {
                    byte[] k = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                    byte[] v = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
                    byte[] c = new byte[k.length + 1 + v.length];
                    System.arraycopy(k, 0, c, 0, k.length);
                    System.arraycopy(v, 0, c, k.length + 1, v.length);
                    chunk(out, "tEXt", c);
                }
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(9))) {
                int row = width * channels;
                for (int y = 0; y < height; y++) {
                    z.write(0);
                    z.write(pixels, y * row, row);
                }
            }
            chunk(out, "IDAT", raw.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /**
     * A grid of n grey images of h×w in [−1, 1] (row-major, n·h·w values), {@code cols} per row with a 2-pixel
     * gap; values are clipped and mapped by round((v+1)·127.5).
     */
    public static void writeGrid(Path file, double[] images, int n, int h, int w, int cols, Map<String, String> text)
            throws IOException {
        int c = Math.max(1, Math.min(cols, n));
        int rows = (n + c - 1) / c;
        int gap = 2;
        int W = c * w + (c + 1) * gap;
        int H = rows * h + (rows + 1) * gap;
        byte[] px = new byte[W * H];
        for (int i = 0; i < n; i++) {
            int ox = gap + (i % c) * (w + gap);
            int oy = gap + (i / c) * (h + gap);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = images[i * h * w + y * w + x];
                    double b = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
                    px[(oy + y) * W + ox + x] = (byte) (int) b;
                }
            }
        }
        byte[] png = encode(W, H, 1, px, text);
        AtomicFiles.write(file, png);
    }

    /** The tEXt chunks of a PNG file. */
    public static Map<String, String> readText(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); java.io.DataInputStream d = new java.io.DataInputStream(in)) {
            byte[] sig = new byte[8];
            d.readFully(sig);
            while (true) {
                int len = d.readInt();
                byte[] t = new byte[4];
                d.readFully(t);
                byte[] data = new byte[len];
                d.readFully(data);
                d.readInt();
                String type = new String(t, StandardCharsets.US_ASCII);
                if (type.equals("tEXt")) {
                    int z = 0;
                    while (data[z] != 0) {
                        z++;
                    }
                    out.put(new String(data, 0, z, StandardCharsets.ISO_8859_1),
                            new String(data, z + 1, data.length - z - 1, StandardCharsets.ISO_8859_1));
                }
                if (type.equals("IEND")) {
                    return out;
                }
            }
        }
    }
}
