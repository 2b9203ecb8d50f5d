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

/**
 * PNG writing (8-bit grey or RGB) with text metadata, and reading of text chunks back. A text is written as tEXt when
 * it is Latin-1 (as PIL does: every PNG reader shows tEXt, ImageMagick 6 shows no iTXt) and as iTXt (UTF-8,
 * uncompressed) when it is not or when the caller asks for UTF-8; tEXt, zTXt and iTXt are all read.
 */
public final class Png {
    private Png() {}

    /** Encodes width×height pixels (channels 1 or 3, interleaved, 0..255) with text chunks (Latin-1 keys). */
    public static byte[] encode(int width, int height, int channels, byte[] pixels, Map<String, String> text) {
        return encode(width, height, channels, pixels, text, java.util.Set.of());
    }

    /** As {@link #encode(int, int, int, byte[], Map)}, the texts of {@code utf8Keys} always as UTF-8 iTXt. */
    public static byte[] encode(int width, int height, int channels, byte[] pixels, Map<String, String> text,
                                java.util.Set<String> utf8Keys) {
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
                    String key = e.getKey();
                    if (key.isEmpty() || key.length() > 79 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(key)) {
                        throw new IllegalArgumentException("PNG text keys are 1-79 Latin-1 characters: " + key);
                    }
                    ByteArrayOutputStream c = new ByteArrayOutputStream();
                    c.write(key.getBytes(StandardCharsets.ISO_8859_1));
                    if (!utf8Keys.contains(key) && StandardCharsets.ISO_8859_1.newEncoder().canEncode(e.getValue())) {
                        c.write(0);
                        c.write(e.getValue().getBytes(StandardCharsets.ISO_8859_1));
                        chunk(out, "tEXt", c.toByteArray());
                    } else {
                        // keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated key NUL
                        c.write(new byte[] {0, 0, 0, 0, 0});
                        c.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                        chunk(out, "iTXt", c.toByteArray());
                    }
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
        writeGrid(file, images, n, h, w, cols, text, java.util.Set.of());
    }

    /** As {@link #writeGrid(Path, double[], int, int, int, int, Map)}, the texts of {@code utf8Keys} as iTXt. */
    public static void writeGrid(Path file, double[] images, int n, int h, int w, int cols, Map<String, String> text,
                                 java.util.Set<String> utf8Keys) throws IOException {
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
        byte[] png = encode(W, H, 1, px, text, utf8Keys);
        AtomicFiles.write(file, png);
    }

    /** The text chunks (tEXt, zTXt, iTXt) of a PNG file, by key, in file order. */
    public static Map<String, String> readText(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); java.io.DataInputStream d = new java.io.DataInputStream(
                new java.io.BufferedInputStream(in))) {
            byte[] sig = new byte[8];
            d.readFully(sig);
            if (sig[0] != (byte) 0x89 || sig[1] != 'P' || sig[2] != 'N' || sig[3] != 'G') {
                throw new IOException(file + " is not a PNG file");
            }
            while (true) {
                int len = d.readInt();
                if (len < 0) {
                    throw new IOException(file + ": damaged PNG chunk");
                }
                byte[] t = new byte[4];
                d.readFully(t);
                String type = new String(t, StandardCharsets.US_ASCII);
                if (type.equals("IEND")) {
                    return out;
                }
                if (!type.equals("tEXt") && !type.equals("zTXt") && !type.equals("iTXt")) {
                    d.skipNBytes(len + 4L);
                    continue;
                }
                byte[] data = new byte[len];
                d.readFully(data);
                d.readInt();
                int z = indexOf(data, 0);
                String key = new String(data, 0, z, StandardCharsets.ISO_8859_1);
                switch (type) {
                    case "tEXt" -> out.put(key, new String(data, z + 1, len - z - 1, StandardCharsets.ISO_8859_1));
                    case "zTXt" -> out.put(key, new String(inflate(data, z + 2, len - z - 2), StandardCharsets.ISO_8859_1));
                    default -> {
                        boolean compressed = data[z + 1] != 0;
                        int lang = indexOf(data, z + 3);
                        int translated = indexOf(data, lang + 1);
                        int from = translated + 1;
                        byte[] v = compressed ? inflate(data, from, len - from) : java.util.Arrays.copyOfRange(data, from, len);
                        out.put(key, new String(v, StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (java.io.EOFException | ArrayIndexOutOfBoundsException e) {
            throw new IOException(file + ": damaged or truncated PNG");
        }
    }

    private static int indexOf(byte[] data, int from) throws IOException {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        throw new IOException("damaged PNG text chunk");
    }

    private static byte[] inflate(byte[] data, int off, int len) throws IOException {
        try (java.util.zip.InflaterInputStream z = new java.util.zip.InflaterInputStream(
                new java.io.ByteArrayInputStream(data, off, len))) {
            return z.readAllBytes();
        }
    }
}
