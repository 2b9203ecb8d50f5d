package org.flowbench.app.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Npy;

/**
 * The samples of a saved project, in a folder next to it ({@code NAME.samples/}): one NPY per lane, float64 so a
 * re-run of a seed can be compared bit for bit after reopening.
 */
public final class SampleStore {
    private SampleStore() {}

    public static Path folderFor(Path projectFile) {
        String name = projectFile.getFileName().toString();
        if (name.endsWith(ProjectFiles.EXTENSION)) {
            name = name.substring(0, name.length() - ProjectFiles.EXTENSION.length());
        }
        return projectFile.resolveSibling(name + ".samples");
    }

    /** "01-euler-8" for lane 0 named "Euler 8". */
    public static String slug(String laneName, int index) {
        String s = laneName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return String.format("%02d-%s", index + 1, s.isEmpty() ? "lane" : s);
    }

    public static void write(Path folder, int index, String laneName, int[] shape, double[] samples) throws IOException {
        int d = 1;
        for (int v : shape) {
            d *= v;
        }
        int n = samples.length / d;
        int[] full = new int[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        Npy.writeFloat64(folder.resolve(slug(laneName, index) + ".npy"), full, samples);
    }

    /** The lane's saved samples if present and of this shape, else null. */
    public static double[] read(Path folder, int index, String laneName, int[] shape) {
        Path f = folder.resolve(slug(laneName, index) + ".npy");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Npy.Array a = Npy.read(f);
            if (a.shape().length != shape.length + 1) {
                return null;
            }
            for (int i = 0; i < shape.length; i++) {
                if (a.shape()[i + 1] != shape[i]) {
                    return null;
                }
            }
            return a.data();
        } catch (FlowbenchException | IllegalArgumentException e) {
            return null;
        }
    }
}
