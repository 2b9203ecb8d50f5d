package org.flowbench.engine.metrics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * Loads sample sets for the metrics: an NPY array [n, dims...] (float32/64, in the model's sample space) or a folder
 * of PNG/JPEG images (sorted by name, all the same size; 8-bit values v mapped to v/255·2 − 1; grayscale images give
 * 1×H×W, colour 3×H×W, like PIL's {@code convert("RGB")}).
 */
public final class SampleSets {
    /** Refuses a set too small for Gaussian statistics (a mean and a covariance need at least 2 samples). */
    public static Samples requireStatistics(Samples s, String where) {
        if (s.n() < 2) {
            throw new org.flowbench.engine.FlowbenchException(where + " holds " + s.n() + " sample"
                    + (s.n() == 1 ? "" : "s") + "; FID and statistics need at least 2", "give a larger set");
        }
        return s;
    }

    private SampleSets() {}

    /** n samples of the given shape, row-major; quantised = the values came from 8-bit images. */
    public record Samples(double[] data, int n, int[] shape, boolean quantised, String source) {
        public int rowSize() {
            int s = 1;
            for (int v : shape) {
                s *= v;
            }
            return s;
        }
    }

    public static Samples load(Path path) {
        if (Files.isDirectory(path)) {
            return loadImages(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new FlowbenchException("no such file or folder: " + path);
        }
        Npy.Array a = Npy.read(path);
        if (a.shape().length < 2) {
            throw new FlowbenchException(path + " has shape " + java.util.Arrays.toString(a.shape())
                    + "; expected [n, dims...]");
        }
        int[] shape = java.util.Arrays.copyOfRange(a.shape(), 1, a.shape().length);
        return new Samples(a.data(), a.rows(), shape, false, path.getFileName().toString());
    }

    static Samples loadImages(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
        } catch (IOException e) {
            throw new FlowbenchException("cannot list " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new FlowbenchException(dir + " contains no .png or .jpg images");
        }
        BufferedImage[] imgs = new BufferedImage[files.size()];
        boolean colour = false;
        for (int i = 0; i < imgs.length; i++) {
            try {
                imgs[i] = ImageIO.read(files.get(i).toFile());
            } catch (IOException e) {
                imgs[i] = null;
            }
            if (imgs[i] == null) {
                throw new FlowbenchException("cannot read image " + files.get(i));
            }
            colour |= imgs[i].getColorModel().getNumColorComponents() > 1;
        }
        int h = imgs[0].getHeight();
        int w = imgs[0].getWidth();
        int c = colour ? 3 : 1;
        double[] data = new double[imgs.length * c * h * w];
        for (int i = 0; i < imgs.length; i++) {
            BufferedImage im = imgs[i];
            if (im.getHeight() != h || im.getWidth() != w) {
                throw new FlowbenchException("image " + files.get(i).getFileName() + " is " + im.getWidth() + "×"
                        + im.getHeight() + ", the first is " + w + "×" + h, "all images of a set must have one size");
            }
            int base = i * c * h * w;
            boolean gray = im.getColorModel().getNumColorComponents() == 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (gray) {
                        int v = im.getRaster().getSample(x, y, 0);
                        int bits = im.getColorModel().getComponentSize(0);
                        double u = bits == 8 ? v : Math.rint(v * 255.0 / ((1 << bits) - 1));
                        for (int ch = 0; ch < c; ch++) {
                            data[base + ch * h * w + y * w + x] = u / 255.0 * 2 - 1;
                        }
                    } else {
                        int rgb = im.getRGB(x, y);
                        data[base + y * w + x] = ((rgb >> 16) & 0xFF) / 255.0 * 2 - 1;
                        data[base + h * w + y * w + x] = ((rgb >> 8) & 0xFF) / 255.0 * 2 - 1;
                        data[base + 2 * h * w + y * w + x] = (rgb & 0xFF) / 255.0 * 2 - 1;
                    }
                }
            }
        }
        return new Samples(data, imgs.length, new int[] {c, h, w}, true, dir.getFileName().toString());
    }

    /** Features of all samples (n × fx.dim()). */
    public static double[] features(FeatureExtractor fx, Samples s) {
        return features(fx, s, org.flowbench.engine.run.ProgressListener.NONE);
    }

    /** As {@link #features(FeatureExtractor, Samples)}, reporting the images done after each chunk. */
    public static double[] features(FeatureExtractor fx, Samples s, org.flowbench.engine.run.ProgressListener progress) {
        double[] out = new double[Math.multiplyExact(s.n(), fx.dim())];
        int row = s.rowSize();
        if (fx instanceof IdentityFeatures && fx.dim() != row) {
            throw new FlowbenchException("identity features of dimension " + fx.dim() + " do not fit samples of size " + row);
        }
        int chunk = 256;
        double[] in = new double[chunk * row];
        double[] part = new double[chunk * fx.dim()];
        for (int i0 = 0; i0 < s.n(); i0 += chunk) {
            int k = Math.min(chunk, s.n() - i0);
            System.arraycopy(s.data(), i0 * row, in, 0, k * row);
            fx.features(in, k, part);
            System.arraycopy(part, 0, out, i0 * fx.dim(), k * fx.dim());
            progress.progress(i0 + k, s.n(), "images");
        }
        return out;
    }

    /**
     * Float samples quantised as reference statistics declare ({@link Quantisation}), so that generated samples saved
     * as .npy compare with statistics of 8-bit images; samples already from 8-bit images, or a float reference, are
     * returned as they are.
     */
    public static Samples quantisedLike(Samples s, String referenceQuantisation) {
        if (s.quantised() || !Quantisation.quantises(referenceQuantisation)) {
            return s;
        }
        double[] q = Quantisation.applied(referenceQuantisation, s.data(), s.data().length);
        return new Samples(q, s.n(), s.shape(), true, s.source());
    }

    /** The quantisation label of an identity: uint8 when the data came from 8-bit images or the extractor quantises. */
    public static String quantisation(Samples s, FeatureExtractor fx) {
        return s.quantised() || fx.preprocessing().contains(Quantisation.UINT8) ? Quantisation.UINT8 : Quantisation.FLOAT;
    }
}
