package org.flowbench.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowbench.engine.FlowbenchException;

/** Fashion-MNIST from its four gzipped IDX files (Debian {@code dataset-fashion-mnist} or a user folder). */
public final class FashionMnist {
    /** The default install location of the Debian package. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names in label order, as the dataset's documentation gives them. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** The folder given, else the Debian one. */
    public static Path locate(Path dir) {
        Path d = dir != null ? dir : DEBIAN_DIR;
        if (!Files.isDirectory(d)) {
            throw new FlowbenchException("Fashion-MNIST folder " + d + " does not exist",
                    "install the Debian package dataset-fashion-mnist or pass --data FOLDER");
        }
        return d;
    }

    /** split "train" (60 000 images) or "test" (10 000). */
    public static ImageDataset load(Path dir, String split) {
        Path d = locate(dir);
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new FlowbenchException("unknown Fashion-MNIST split '" + split + "'", "use train or test");
        };
        Idx.Array img = Idx.read(find(d, prefix + "-images-idx3-ubyte"));
        Idx.Array lab = Idx.read(find(d, prefix + "-labels-idx1-ubyte"));
        return fromIdx("fashion-mnist/" + split, img, lab);
    }

    static Path find(Path d, String base) {
        Path gz = d.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = d.resolve(base);
        return Files.isRegularFile(plain) ? plain : gz;
    }

    /** Pairs an image array [n, h, w] with a label array [n]; checks that they fit. */
    public static ImageDataset fromIdx(String name, Idx.Array img, Idx.Array lab) {
        if (img.dims().length != 3) {
            throw new FlowbenchException(name + ": image file has " + img.dims().length + " dimensions, expected 3");
        }
        if (lab.dims().length != 1) {
            throw new FlowbenchException(name + ": label file has " + lab.dims().length + " dimensions, expected 1");
        }
        int n = img.dims()[0];
        if (lab.dims()[0] != n) {
            throw new FlowbenchException(name + ": " + n + " images but " + lab.dims()[0] + " labels");
        }
        float[] px = new float[img.data().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = ImageDataset.toUnit(img.data()[i] & 0xff);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lab.data()[i] & 0xff;
            if (labels[i] >= CLASS_NAMES.size()) {
                throw new FlowbenchException(name + ": label " + labels[i] + " at index " + i + " is not a class (0..9)");
            }
        }
        return new ImageDataset(name, new int[] {1, img.dims()[1], img.dims()[2]}, px, labels, CLASS_NAMES);
    }
}
