package org.flowbench.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.flowbench.engine.FlowbenchException;

/**
 * NumPy's {@code .npz} archives (numpy.savez / savez_compressed): a zip of {@code NAME.npy} entries. Read by name; written
 * stored, float64, atomically. The format reference statistics of pytorch-fid and clean-fid travel in.
 */
public final class Npz {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private Npz() {}

    /** True if the file starts with a zip header (an .npz). */
    public static boolean isNpz(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), ZIP_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** Every array of the archive, by name (without ".npy"). */
    public static Map<String, Npy.Array> read(Path file) {
        Map<String, Npy.Array> out = new LinkedHashMap<>();
        Path tmp = null;
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(file))) {
            tmp = Files.createTempFile("flowbench-npz", ".npy");
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                Files.copy(zin, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                out.put(e.getName().substring(0, e.getName().length() - 4), Npy.read(tmp));
            }
        } catch (IOException e) {
            throw new FlowbenchException("cannot read " + file + " as an .npz archive: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind harms nothing
                }
            }
        }
        if (out.isEmpty()) {
            throw new FlowbenchException(file + " holds no .npy arrays", "an .npz is written by numpy.savez");
        }
        return out;
    }

    /** An array to write: its shape and values (row-major). */
    public record Entry(int[] shape, double[] data) {}

    /** Writes the arrays as float64 NAME.npy entries of a zip, atomically. */
    public static void write(Path file, Map<String, Entry> arrays) throws IOException {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        Path tmp = Files.createTempFile("flowbench-npz", ".npy");
        try {
            for (Map.Entry<String, Entry> e : arrays.entrySet()) {
                Npy.writeFloat64(tmp, e.getValue().shape(), e.getValue().data());
                bytes.put(e.getKey(), Files.readAllBytes(tmp));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream z = new ZipOutputStream(out);
            for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                z.write(e.getValue());
                z.closeEntry();
            }
            z.finish();
        }, false);
    }
}
