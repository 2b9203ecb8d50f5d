package org.flowbench.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.flowbench.engine.io.Npy;

/**
 * A sampler's further per-image outputs ({@link org.flowbench.engine.run.ProgressListener#extras}), gathered in image
 * order and written as one NPY per name into {@code OUT-STEM.extras/}; the folder is replaced as a whole, so no file
 * of an earlier run stays beside the new ones.
 */
final class Extras {
    private final int n;
    private final Map<String, double[]> arrays = new LinkedHashMap<>();
    private final Map<String, Integer> widths = new LinkedHashMap<>();

    Extras(int n) {
        this.n = n;
    }

    /** The extras folder of an output file: {@code samples.npy} → {@code samples.extras}. */
    static Path folderFor(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".extras");
    }

    synchronized void add(long firstImage, int count, Map<String, double[]> perImage) {
        for (Map.Entry<String, double[]> e : perImage.entrySet()) {
            int w = e.getValue().length / count;
            Integer known = widths.putIfAbsent(e.getKey(), w);
            if (known != null && known != w) {
                throw new IllegalStateException(e.getKey() + ": " + w + " values per image, earlier " + known);
            }
            double[] all = arrays.computeIfAbsent(e.getKey(), k -> new double[n * w]);
            System.arraycopy(e.getValue(), 0, all, (int) firstImage * w, count * w);
        }
    }

    boolean isEmpty() {
        return arrays.isEmpty();
    }

    /** Per name with one value per image: the mean over images where it is finite. */
    Map<String, Double> means() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : arrays.entrySet()) {
            if (widths.get(e.getKey()) != 1) {
                continue;
            }
            double s = 0;
            int c = 0;
            for (double v : e.getValue()) {
                if (Double.isFinite(v)) {
                    s += v;
                    c++;
                }
            }
            m.put(e.getKey(), c == 0 ? Double.NaN : s / c);
        }
        return m;
    }

    String meansText() {
        StringBuilder b = new StringBuilder();
        means().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.4g", v)));
        return b.toString();
    }

    /** Writes every array into {@code dir} (images with the model's shape), replacing the folder. */
    void write(Path dir, int[] imageShape) throws IOException {
        int dim = 1;
        for (int s : imageShape) {
            dim *= s;
        }
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        for (Map.Entry<String, double[]> e : arrays.entrySet()) {
            int w = widths.get(e.getKey());
            int[] shape;
            if (w == dim && imageShape.length > 1) {
                shape = new int[imageShape.length + 1];
                System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
            } else {
                shape = w == 1 ? new int[1] : new int[] {0, w};
            }
            shape[0] = n;
            Npy.writeFloat32(tmp.resolve(e.getKey() + ".npy"), shape, e.getValue());
        }
        deleteTree(dir);
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
