package org.flowbench.engine.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flowbench.engine.FlowbenchException;

/** NumPy .npy files (format 1.0/2.0), C order, little-endian float32 or float64. */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** An array read from a file: its shape and values widened to double. */
    public record Array(int[] shape, double[] data, boolean wasFloat32) {
        public int rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** Elements per row (product of all but the first dimension). */
        public int rowSize() {
            int d = 1;
            for (int i = 1; i < shape.length; i++) {
                d *= shape[i];
            }
            return d;
        }
    }

    public static void writeFloat32(Path file, int[] shape, double[] data) throws IOException {
        write(file, shape, data, true);
    }

    public static void writeFloat64(Path file, int[] shape, double[] data) throws IOException {
        write(file, shape, data, false);
    }

    private static void write(Path file, int[] shape, double[] data, boolean f32) throws IOException {
        long count = 1;
        for (int s : shape) {
            count *= s;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, data has " + data.length);
        }
        byte[] header = header(shape, f32 ? "<f4" : "<f8");
        AtomicFiles.write(file, out -> {
            out.write(header);
            int width = f32 ? 4 : 8;
            ByteBuffer buf = ByteBuffer.allocate(width * 8192).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : data) {
                if (f32) {
                    buf.putFloat((float) v);
                } else {
                    buf.putDouble(v);
                }
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
            }
            out.write(buf.array(), 0, buf.position());
        }, false);
    }

    static byte[] header(int[] shape, String descr) {
        StringBuilder tuple = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            tuple.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            tuple.append(',');
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + tuple + "), }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String full = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + full.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) full.length());
        b.put(full.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public static Array read(Path file) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString(), Files.size(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FlowbenchException("cannot read " + file + ": no such file");
        } catch (java.io.EOFException e) {
            throw new FlowbenchException("cannot read " + file + ": the file ends early (truncated?)");
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + file + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    static Array read(InputStream raw, String name) throws IOException {
        return read(raw, name, -1);
    }

    /**
     * Reads an array; {@code fileSize} (−1: unknown) is checked against the size the header claims before anything
     * large is allocated, so a damaged or hostile header fails in one line instead of exhausting memory.
     */
    static Array read(InputStream raw, String name, long fileSize) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[6];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FlowbenchException(name + " is not a .npy file (bad magic)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        } else if (major == 2 || major == 3) {
            headerLen = Integer.reverseBytes(in.readInt());
        } else {
            throw new FlowbenchException(name + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || headerLen > 1 << 20 || (fileSize >= 0 && headerLen > fileSize)) {
            throw new FlowbenchException(name + ": malformed .npy header (length " + Integer.toUnsignedString(headerLen)
                    + ")");
        }
        byte[] h = new byte[headerLen];
        in.readFully(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new FlowbenchException(name + ": malformed .npy header");
        }
        if (f.group(1).equals("True")) {
            throw new FlowbenchException(name + ": Fortran-order arrays are not supported; save with C order");
        }
        String descr = d.group(1);
        // float32/64, and the integer types numpy writes for counts and 8-bit images (int64, int32, uint8)
        String kind = switch (descr) {
            case "<f4", "|f4" -> "f4";
            case "<f8" -> "f8";
            case "<i8" -> "i8";
            case "<i4" -> "i4";
            case "|u1", "<u1" -> "u1";
            default -> throw new FlowbenchException(name + ": dtype " + descr + " is not supported; use float32, "
                    + "float64, int64, int32 or uint8");
        };
        boolean f32 = kind.equals("f4");
        String[] parts = s.group(1).split(",");
        int[] shape;
        try {
            shape = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToInt(Integer::parseInt)
                    .toArray();
        } catch (NumberFormatException e) {
            throw new FlowbenchException(name + ": .npy shape (" + s.group(1) + ") is not a list of sizes");
        }
        long count = 1;
        for (int x : shape) {
            if (x < 0) {
                throw new FlowbenchException(name + ": .npy shape (" + s.group(1) + ") has a negative size");
            }
            count = Math.min((long) Integer.MAX_VALUE + 1, count * x); // both factors ≤ 2³¹: no overflow
        }
        if (count > Integer.MAX_VALUE) {
            throw new FlowbenchException(name + ": array too large (shape " + Arrays.toString(shape) + ")");
        }
        int width = switch (kind) {
            case "f4", "i4" -> 4;
            case "u1" -> 1;
            default -> 8;
        };
        long prefix = 6 + 2 + (major == 1 ? 2 : 4) + headerLen;
        if (fileSize >= 0 && prefix + count * width != fileSize) {
            throw new FlowbenchException(name + ": the header claims " + count + " values (" + (prefix + count * width)
                    + " bytes) but the file has " + fileSize + " bytes");
        }
        double[] data = new double[(int) count];
        byte[] buf = new byte[width * 8192];
        int at = 0;
        while (at < count) {
            int chunk = (int) Math.min(8192, count - at);
            in.readFully(buf, 0, chunk * width);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, chunk * width).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < chunk; i++) {
                data[at++] = switch (kind) {
                    case "f4" -> bb.getFloat();
                    case "f8" -> bb.getDouble();
                    case "i8" -> bb.getLong();
                    case "i4" -> bb.getInt();
                    default -> bb.get() & 0xff;
                };
            }
        }
        return new Array(shape, data, f32);
    }
}
