package org.flowbench.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.flowbench.engine.FlowbenchException;

/**
 * IDX files (the MNIST format): magic {@code 0x00 0x00 type ndim}, ndim big-endian int32 dimensions, then the data.
 * Only unsigned bytes (type 0x08) are read. Files ending in {@code .gz} are gunzipped on the fly.
 */
public final class Idx {
    private Idx() {}

    /** Dimensions and unsigned-byte data. */
    public record Array(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    public static Array read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FlowbenchException("IDX file " + file + " does not exist",
                    "install the Debian package dataset-fashion-mnist or pass --data FOLDER");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(new BufferedInputStream(raw), 1 << 16)
                     : new BufferedInputStream(raw, 1 << 16)) {
            return read(in, file.toString());
        } catch (java.util.zip.ZipException e) {
            throw new FlowbenchException("IDX file " + file + " is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new FlowbenchException("cannot read IDX file " + file + ": " + e.getMessage(), null, e);
        }
    }

    public static Array read(InputStream stream, String what) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[4];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new FlowbenchException("IDX file " + what + " is truncated: no 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new FlowbenchException(String.format("IDX file %s has a bad magic number %02x%02x%02x%02x (expected 0000TTNN)",
                    what, magic[0], magic[1], magic[2], magic[3]));
        }
        if (magic[2] != 0x08) {
            throw new FlowbenchException(String.format("IDX file %s has element type 0x%02x; only unsigned bytes (0x08) are supported",
                    what, magic[2]));
        }
        int ndim = magic[3] & 0xff;
        if (ndim < 1 || ndim > 4) {
            throw new FlowbenchException("IDX file " + what + " has " + ndim + " dimensions; expected 1 to 4");
        }
        int[] dims = new int[ndim];
        long total = 1;
        try {
            for (int i = 0; i < ndim; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new FlowbenchException("IDX file " + what + " has a negative dimension");
                }
                total *= dims[i];
            }
        } catch (EOFException e) {
            throw new FlowbenchException("IDX file " + what + " is truncated in its dimensions");
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new FlowbenchException("IDX file " + what + " is too large (" + total + " values)");
        }
        byte[] data = new byte[(int) total];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            throw new FlowbenchException("IDX file " + what + " is truncated: expected " + total + " data bytes");
        }
        if (in.read() != -1) {
            throw new FlowbenchException("IDX file " + what + " has trailing bytes after " + total + " data bytes");
        }
        return new Array(dims, data);
    }
}
