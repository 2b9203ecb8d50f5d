package org.flowbench.engine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Npy;

/**
 * Users' own image data for training: a Fashion-MNIST IDX folder, an NPY array, or a folder of images.
 *
 * <ul>
 *   <li>IDX folder: the four {@code *-idx?-ubyte[.gz]} files ({@link FashionMnist}).</li>
 *   <li>NPY: [n, h, w] or [n, 1, h, w]; float arrays must already be in [−1, 1], integer arrays are bytes 0..255.
 *       Labels from an optional {@code NAME.labels.npy} next to it, else all unlabelled (−1).</li>
 *   <li>Image folder: PNG/JPEG files converted to grey; one sub-folder per class (class names = sorted folder names),
 *       or images directly in the folder (unlabelled). All images must have the same size.</li>
 * </ul>
 */
public final class Datasets {
    private Datasets() {}

    public static ImageDataset load(Path path, String split) {
        if (path == null || Files.isDirectory(path) && hasIdx(path)) {
            return FashionMnist.load(path, split);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return npy(path);
        }
        if (Files.isDirectory(path)) {
            return folder(path);
        }
        throw new FlowbenchException("cannot read training data " + path,
                "give a Fashion-MNIST IDX folder, an .npy file or a folder of images");
    }

    public static boolean hasIdx(Path dir) {
        return Files.isRegularFile(FashionMnist.find(dir, "train-images-idx3-ubyte"))
                || Files.isRegularFile(FashionMnist.find(dir, "t10k-images-idx3-ubyte"));
    }

    public static ImageDataset npy(Path file) {
        Npy.Array a = Npy.read(file);
        int[] s = a.shape();
        int h;
        int w;
        if (s.length == 3) {
            h = s[1];
            w = s[2];
        } else if (s.length == 4 && s[1] == 1) {
            h = s[2];
            w = s[3];
        } else {
            throw new FlowbenchException("NPY images " + file + " have shape " + java.util.Arrays.toString(s)
                    + "; expected [n, h, w] or [n, 1, h, w]");
        }
        int n = s[0];
        float[] px = new float[n * h * w];
        boolean bytes = !a.wasFloat32() && isIntegral(a.data());
        for (int i = 0; i < px.length; i++) {
            double v = a.data()[i];
            px[i] = bytes ? ImageDataset.toUnit((int) v) : (float) v;
            if (!(px[i] >= -1.0001f && px[i] <= 1.0001f)) {
                throw new FlowbenchException("NPY images " + file + " have value " + v + " at index " + i
                        + "; float images must be in [-1, 1], integer images in 0..255");
            }
        }
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        List<String> names = List.of();
        Path lab = file.resolveSibling(file.getFileName().toString().replaceAll("(?i)\\.npy$", "") + ".labels.npy");
        if (Files.isRegularFile(lab)) {
            Npy.Array l = Npy.read(lab);
            if (l.data().length != n) {
                throw new FlowbenchException(lab + " has " + l.data().length + " labels for " + n + " images");
            }
            int max = -1;
            for (int i = 0; i < n; i++) {
                labels[i] = (int) l.data()[i];
                max = Math.max(max, labels[i]);
            }
            List<String> nm = new ArrayList<>();
            for (int c = 0; c <= max; c++) {
                nm.add("class " + c);
            }
            names = nm;
        }
        return new ImageDataset(file.getFileName().toString(), new int[] {1, h, w}, px, labels, names);
    }

    private static boolean isIntegral(double[] d) {
        for (double v : d) {
            if (v != Math.rint(v) || v < 0 || v > 255) {
                return false;
            }
        }
        return true;
    }

    public static ImageDataset folder(Path dir) {
        List<Path> classes = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.sorted().forEach(p -> {
                if (Files.isDirectory(p)) {
                    classes.add(p);
                } else if (isImage(p)) {
                    loose.add(p);
                }
            });
        } catch (IOException e) {
            throw new FlowbenchException("cannot list " + dir + ": " + e.getMessage());
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (!classes.isEmpty()) {
            for (int c = 0; c < classes.size(); c++) {
                names.add(classes.get(c).getFileName().toString());
                try (Stream<Path> s = Files.list(classes.get(c))) {
                    for (Path p : s.filter(Datasets::isImage).sorted().toList()) {
                        files.add(p);
                        labels.add(c);
                    }
                } catch (IOException e) {
                    throw new FlowbenchException("cannot list " + classes.get(c) + ": " + e.getMessage());
                }
            }
        } else {
            for (Path p : loose) {
                files.add(p);
                labels.add(-1);
            }
        }
        if (files.isEmpty()) {
            throw new FlowbenchException("no PNG or JPEG images in " + dir);
        }
        int h = -1;
        int w = -1;
        float[] px = null;
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img;
            try {
                img = ImageIO.read(files.get(i).toFile());
            } catch (IOException e) {
                throw new FlowbenchException("cannot read image " + files.get(i) + ": " + e.getMessage());
            }
            if (img == null) {
                throw new FlowbenchException("cannot decode image " + files.get(i));
            }
            if (h < 0) {
                h = img.getHeight();
                w = img.getWidth();
                px = new float[files.size() * h * w];
            } else if (img.getHeight() != h || img.getWidth() != w) {
                throw new FlowbenchException("image " + files.get(i) + " is " + img.getWidth() + "x" + img.getHeight()
                        + ", the others are " + w + "x" + h, "resize all images to one size");
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    int grey = (int) Math.round(0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255)
                            + 0.114 * (rgb & 255));
                    px[i * h * w + y * w + x] = ImageDataset.toUnit(grey);
                }
            }
        }
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageDataset(dir.getFileName().toString(), new int[] {1, h, w}, px, l, names);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
