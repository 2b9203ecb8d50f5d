package org.flowbench.engine.metrics;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FeatureExtractor;

/**
 * Features from a user-provided TorchScript network ({@code torchscript:<file>[?mode=M][&size=S]}), loaded offline
 * with DJL's PyTorch engine. Convention of clean-fid's TorchScript Inception ({@code inception-2015-12-05.pt}, 2048-d
 * pool3): input samples are C×H×W images in [−1, 1] (C = 1 or 3), grayscale is replicated to RGB (PIL's
 * {@code convert("RGB")}), the network gets float32 NCHW values in [0, 255] and returns N×D features. Modes:
 *
 * <ul>
 *   <li>{@code none} (default): uint8 by rounding, {@code clamp(round((x + 1)/2 · 255), 0, 255)} as when saving
 *       PNGs; no resize: the clean-fid TorchScript Inception resizes to 299×299 inside (clean-fid's
 *       {@code legacy_tensorflow});</li>
 *   <li>{@code legacy} (pytorch-fid): uint8 by rounding, then bilinear resize to S×S (default 299) with half-pixel
 *       centres ({@code align_corners=False}, no antialiasing); {@code ?size=S} alone means this mode;</li>
 *   <li>{@code clean} (clean-fid's default): uint8 by truncation, {@code clip((x + 1)/2 · 255, 0, 255)} cast to
 *       uint8, then per channel PIL's antialiased bicubic resize in float mode to S×S (default 299), clipped to
 *       [0, 255] ({@link PilResize}).</li>
 * </ul>
 * Statistics from this extractor carry the sha256 of the file and this preprocessing in their identity.
 */
public final class TorchScriptFeatures implements FeatureExtractor, AutoCloseable {
    private final Path file;
    private final String hash;
    private final int channels;
    private final int height;
    private final int width;
    private final int size;
    private final Mode mode;
    private final PilResize pil; // clean mode only
    private final int dim;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final int batch;

    /** How images are prepared for the network (see the class comment). */
    public enum Mode {
        NONE, LEGACY, CLEAN;

        static Mode of(String s) {
            return switch (s) {
                case "none" -> NONE;
                case "legacy" -> LEGACY;
                case "clean" -> CLEAN;
                default -> throw new FlowbenchException("unknown TorchScript preprocessing mode '" + s + "'",
                        "use mode=clean (clean-fid), mode=legacy (pytorch-fid) or mode=none");
            };
        }
    }

    /**
     * @param sampleShape C, H, W of the input samples
     * @param size resize target (0 = no resize)
     */
    public TorchScriptFeatures(Path file, int[] sampleShape, int size) {
        this(file, sampleShape, size > 0 ? Mode.LEGACY : Mode.NONE, size);
    }

    /**
     * @param sampleShape C, H, W of the input samples
     * @param mode preprocessing
     * @param size resize target of legacy and clean (0 = their default, 299); ignored by none
     */
    public TorchScriptFeatures(Path file, int[] sampleShape, Mode mode, int size) {
        if (!Files.isRegularFile(file)) {
            throw new FlowbenchException("TorchScript feature network not found: " + file,
                    "give the path of a .pt file saved with torch.jit.save");
        }
        if (sampleShape.length != 3 || (sampleShape[0] != 1 && sampleShape[0] != 3)) {
            throw new FlowbenchException("torchscript features need images of shape 1×H×W or 3×H×W, got "
                    + java.util.Arrays.toString(sampleShape));
        }
        this.file = file;
        this.hash = sha256(file);
        this.channels = sampleShape[0];
        this.height = sampleShape[1];
        this.width = sampleShape[2];
        this.mode = mode;
        this.size = mode == Mode.NONE ? 0 : size > 0 ? size : 299;
        this.pil = mode == Mode.CLEAN ? new PilResize(height, width, this.size, this.size) : null;
        this.batch = 32;
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(file.toAbsolutePath())
                    .optEngine("PyTorch")
                    .optTranslator(new NoopTranslator())
                    .build();
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new FlowbenchException("cannot load TorchScript network " + file + ": " + e.getMessage(),
                    "the file must be a TorchScript module (torch.jit.save), not a state dict", e);
        }
        this.predictor = model.newPredictor();
        int outH = size > 0 ? size : height;
        int outW = size > 0 ? size : width;
        double[] probe = new double[3 * outH * outW];
        java.util.Arrays.fill(probe, 128);
        this.dim = run(probe, 1, outH, outW).length;
    }

    @Override
    public String id() {
        return "torchscript:" + file.getFileName();
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public String preprocessing() {
        return switch (mode) {
            case NONE -> "uint8-round,gray-to-rgb,no-resize,nchw-0-255";
            case LEGACY -> "uint8-round,gray-to-rgb,bilinear-" + size + ",nchw-0-255";
            case CLEAN -> "uint8-truncate,gray-to-rgb,pil-bicubic-" + size + ",clip-0-255,nchw-0-255";
        };
    }

    @Override
    public synchronized void features(double[] x, int n, double[] out) {
        int inSize = channels * height * width;
        int outH = size > 0 ? size : height;
        int outW = size > 0 ? size : width;
        int plane = outH * outW;
        for (int b0 = 0; b0 < n; b0 += batch) {
            int k = Math.min(batch, n - b0);
            double[] in = new double[k * 3 * plane];
            double[] q = new double[height * width];
            double[] r = new double[plane];
            for (int s = 0; s < k; s++) {
                for (int c = 0; c < 3; c++) {
                    if (channels == 1 && c > 0) {
                        // grey replicated to RGB: the channels are the same image
                        System.arraycopy(in, s * 3 * plane, in, (s * 3 + c) * plane, plane);
                        continue;
                    }
                    int src = (b0 + s) * inSize + c * height * width;
                    prepare(x, src, q, r);
                    System.arraycopy(size > 0 ? r : q, 0, in, (s * 3 + c) * plane, plane);
                }
            }
            double[] f = run(in, k, outH, outW);
            if (f.length != k * dim) {
                throw new FlowbenchException("TorchScript network " + file + " returned " + f.length / k
                        + " features per image, expected " + dim);
            }
            System.arraycopy(f, 0, out, b0 * dim, k * dim);
        }
    }

    /** One channel of one image: quantised into q, resized (when the mode resizes) into r. */
    private void prepare(double[] x, int src, double[] q, double[] r) {
        int hw = height * width;
        for (int i = 0; i < hw; i++) {
            q[i] = mode == Mode.CLEAN ? truncate(x[src + i]) : quantise(x[src + i]);
        }
        switch (mode) {
            case NONE -> { }
            case LEGACY -> resizeBilinear(q, height, width, size, size, r);
            case CLEAN -> {
                float[] f = new float[hw];
                for (int i = 0; i < hw; i++) {
                    f[i] = (float) q[i];
                }
                float[] big = pil.apply(f);
                for (int i = 0; i < big.length; i++) {
                    r[i] = Math.max(0, Math.min(255, big[i]));
                }
            }
        }
    }

    /**
     * clean-fid's {@code clip(x01 · 255, 0, 255).astype(uint8)}: truncation, not rounding. An image that is already
     * 8-bit (a folder of PNGs, read as u/127.5 − 1) must keep its levels: the product can land a hair below u in
     * floating point (float32 samples: by up to about 1e-5), so values within 1e-4 of a level count as that level.
     */
    static double truncate(double v) {
        return Math.floor(Math.max(0, Math.min(255, (v + 1) / 2 * 255)) + 1e-4);
    }

    /** {@code clamp(round((x + 1)/2 · 255), 0, 255)}. */
    static double quantise(double v) {
        return Quantisation.level(v);
    }

    /** Bilinear resize with half-pixel centres (PyTorch {@code align_corners=False}, no antialias). */
    static double[] resizeBilinear(double[] src, int h, int w, int oh, int ow, double[] dst) {
        double sy = (double) h / oh;
        double sx = (double) w / ow;
        for (int i = 0; i < oh; i++) {
            double fy = Math.max(0, (i + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double ay = fy - y0;
            for (int j = 0; j < ow; j++) {
                double fx = Math.max(0, (j + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double ax = fx - x0;
                double top = src[y0 * w + x0] * (1 - ax) + src[y0 * w + x1] * ax;
                double bot = src[y1 * w + x0] * (1 - ax) + src[y1 * w + x1] * ax;
                dst[i * ow + j] = top * (1 - ay) + bot * ay;
            }
        }
        return dst;
    }

    private double[] run(double[] nchw, int n, int h, int w) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            float[] f = new float[nchw.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) nchw[i];
            }
            NDArray arr = m.create(f, new Shape(n, 3, h, w));
            NDList outList = predictor.predict(new NDList(arr));
            float[] res = outList.singletonOrThrow().toFloatArray();
            double[] d = new double[res.length];
            for (int i = 0; i < res.length; i++) {
                d[i] = res[i];
            }
            return d;
        } catch (TranslateException | RuntimeException e) {
            throw new FlowbenchException("TorchScript network " + file + " failed on a " + n + "×3×" + h + "×" + w
                    + " batch: " + e.getMessage(), "it must take float32 NCHW images in [0, 255] and return N×D", e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new FlowbenchException("cannot read " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
