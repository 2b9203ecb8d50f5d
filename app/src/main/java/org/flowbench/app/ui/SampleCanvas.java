package org.flowbench.app.ui;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import org.flowbench.engine.model.KnownDistribution;

/**
 * Draws a lane's samples: for 2-D models a scatter over the exact target density (heat map), finished samples as
 * dots and the in-flight batch's x̂ preview as hollow marks; for [C,H,W] models a grid of the first images (image i
 * in the same cell in every lane), final images where finished and previews where still in flight.
 */
public final class SampleCanvas extends Canvas {
    /** Cells of the image grid. */
    public static final int GRID = 4;
    private static final double EXTENT = 5.5;
    private static final Map<String, int[]> DENSITY = new ConcurrentHashMap<>();
    private static final java.util.Set<String> PENDING = ConcurrentHashMap.newKeySet();
    /** The scatter draws the first this many samples (the same indices in every lane). */
    public static final int MAX_POINTS = 2000;

    private ModelView model;
    private double[] samples = new double[0];
    private double[] preview;
    /** Initial images of the samples (ReNO) and the wipe: the share of each tile showing them, from the left. */
    private double[] initial = new double[0];
    private double wipe;
    private Color color = Color.web("#2f6fd6");
    private long highlighted = -1;
    private boolean dark;

    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();
    private boolean invalid;
    private final javafx.animation.Timeline ticker;

    public SampleCanvas(double size) {
        super(size, size);
        // redraws are coalesced: data changes mark the canvas, a 5 Hz tick redraws it at most once
        ticker = new javafx.animation.Timeline(new javafx.animation.KeyFrame(javafx.util.Duration.millis(200), e -> {
            if (invalid) {
                invalid = false;
                redraw();
            }
        }));
        ticker.setCycleCount(javafx.animation.Animation.INDEFINITE);
        // lanes tick out of phase, so their redraws land in different pulses rather than all in one
        ticker.setDelay(javafx.util.Duration.millis(47 * (INSTANCES.getAndIncrement() % 4)));
        ticker.play();
    }

    /** Marks the canvas for the next tick's redraw. */
    public void invalidate() {
        invalid = true;
    }

    public void setModel(ModelView m) {
        this.model = m;
        redraw();
    }

    public void setData(double[] s, double[] p) {
        this.samples = s == null ? new double[0] : s;
        this.preview = p;
        invalidate();
    }

    /** Shows the initial images over the left {@code wipe} share of each finished tile (an A/B wipe). */
    public void setWipe(double[] initialImages, double share) {
        this.initial = initialImages == null ? new double[0] : initialImages;
        this.wipe = Math.max(0, Math.min(1, share));
        invalidate();
    }

    public void setColor(Color c) {
        this.color = c;
    }

    public void setDark(boolean d) {
        this.dark = d;
        redraw();
    }

    public void highlight(long index) {
        highlighted = index;
        redraw();
    }

    /** Data → pixel for the 2-D view; the view spans [−EXTENT, EXTENT]² around the data mean. */
    private double px(double v) {
        return (v + EXTENT) / (2 * EXTENT) * getWidth();
    }

    private double py(double v) {
        return getHeight() - (v - centerY() + EXTENT) / (2 * EXTENT) * getHeight();
    }

    private double centerY() {
        return model != null && model.mixture() != null ? Math.rint(model.mixture().dataMean(-1)[1]) : 0;
    }

    /** The index of the sample under (x, y) in canvas pixels, or −1. */
    public long sampleAt(double x, double y) {
        if (model == null || model.shape() == null) {
            return -1;
        }
        if (model.isImage()) {
            double cell = getWidth() / GRID;
            int c = (int) (x / cell);
            int r = (int) (y / cell);
            if (c < 0 || c >= GRID || r < 0 || r >= GRID) {
                return -1;
            }
            return r * GRID + c;
        }
        int d = model.shape()[0];
        if (d != 2) {
            return -1;
        }
        long best = -1;
        double bestD = 64;
        for (int i = 0; i < Math.min(MAX_POINTS, samples.length / 2); i++) {
            double dx = px(samples[2 * i]) - x;
            double dy = py(samples[2 * i + 1]) - y;
            double q = dx * dx + dy * dy;
            if (q < bestD) {
                bestD = q;
                best = i;
            }
        }
        return best;
    }

    public void redraw() {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.setFill(dark ? Color.web("#15171a") : Color.web("#fbfbfc"));
        g.fillRect(0, 0, w, h);
        if (model == null || model.shape() == null) {
            g.setFill(Color.GRAY);
            g.fillText(model != null && model.error() != null ? model.error() : "loading model…", 8, 20);
            return;
        }
        if (model.isImage()) {
            drawImages(g, w);
        } else if (model.shape().length == 1 && model.shape()[0] == 2) {
            drawScatter(g, w, h);
        } else {
            g.setFill(Color.GRAY);
            g.fillText("no view for shape " + java.util.Arrays.toString(model.shape()), 8, 20);
        }
    }

    /**
     * The scatter is composed in a pixel buffer and shown as one image: thousands of anti-aliased rectangles would
     * each be rasterised by the render thread, which the FX thread then waits for at the next pulse.
     */
    private void drawScatter(GraphicsContext g, double w, double h) {
        int iw = (int) Math.round(w);
        int ih = (int) Math.round(h);
        if (frame == null || (int) frame.getWidth() != iw || (int) frame.getHeight() != ih) {
            frame = new WritableImage(iw, ih);
            pixels = new int[iw * ih];
        }
        int[] bg = model.mixture() != null ? densityPixels(model, iw, centerY(), dark) : null;
        if (bg != null && bg.length == pixels.length) {
            System.arraycopy(bg, 0, pixels, 0, pixels.length);
        } else {
            java.util.Arrays.fill(pixels, argb(dark ? Color.web("#15171a") : Color.web("#fbfbfc")));
        }
        int dot = argb(color);
        int count = Math.min(MAX_POINTS, samples.length / 2);
        for (int i = 0; i < count; i++) {
            square(iw, ih, px(samples[2 * i]), py(samples[2 * i + 1]), dot, 0.55, false);
        }
        if (preview != null) {
            int mark = argb(Color.web("#e0742b"));
            for (int i = 0; i + 1 < Math.min(preview.length, 2 * MAX_POINTS); i += 2) {
                square(iw, ih, px(preview[i]), py(preview[i + 1]), mark, 0.7, true);
            }
        }
        frame.getPixelWriter().setPixels(0, 0, iw, ih, javafx.scene.image.PixelFormat.getIntArgbInstance(), pixels, 0,
                iw);
        g.drawImage(frame, 0, 0);
        if (highlighted >= 0 && highlighted < count) {
            double x = px(samples[(int) (2 * highlighted)]);
            double y = py(samples[(int) (2 * highlighted + 1)]);
            g.setStroke(dark ? Color.WHITE : Color.BLACK);
            g.setLineWidth(2);
            g.strokeOval(x - 6, y - 6, 12, 12);
        }
    }

    private WritableImage frame;
    private int[] pixels;

    /** Blends a 3×3 square (filled, or its outline when {@code hollow}) centred on (x, y) into the buffer. */
    private void square(int w, int h, double x, double y, int rgb, double alpha, boolean hollow) {
        int cx = (int) Math.floor(x);
        int cy = (int) Math.floor(y);
        for (int dy = -1; dy <= 1; dy++) {
            int yy = cy + dy;
            if (yy < 0 || yy >= h) {
                continue;
            }
            for (int dx = -1; dx <= 1; dx++) {
                int xx = cx + dx;
                if (xx < 0 || xx >= w || (hollow && dx == 0 && dy == 0)) {
                    continue;
                }
                int k = yy * w + xx;
                pixels[k] = blend(pixels[k], rgb, alpha);
            }
        }
    }

    private static int blend(int dst, int src, double a) {
        int r = (int) (((src >> 16) & 255) * a + ((dst >> 16) & 255) * (1 - a));
        int gr = (int) (((src >> 8) & 255) * a + ((dst >> 8) & 255) * (1 - a));
        int b = (int) ((src & 255) * a + (dst & 255) * (1 - a));
        return 0xff000000 | r << 16 | gr << 8 | b;
    }

    private static int argb(Color c) {
        return 0xff000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                | (int) Math.round(c.getBlue() * 255);
    }

    private void drawImages(GraphicsContext g, double w) {
        g.setImageSmoothing(false);
        int[] shape = model.shape();
        int dim = shape[0] * shape[1] * shape[2];
        double cell = w / GRID;
        int have = samples.length / dim;
        int prev = preview == null ? 0 : preview.length / dim;
        for (int i = 0; i < GRID * GRID; i++) {
            double x = (i % GRID) * cell;
            double y = (i / GRID) * cell;
            double[] src = i < have ? samples : i < prev ? preview : null;
            if (src != null) {
                g.drawImage(toImage(src, i, shape), x + 1, y + 1, cell - 2, cell - 2);
                if (src == samples && wipe > 0 && i < initial.length / dim) {
                    // the left share of the tile: the same image before the method improved it
                    double sw = shape[2] * wipe;
                    g.drawImage(toImage(initial, i, shape), 0, 0, sw, shape[1], x + 1, y + 1, (cell - 2) * wipe,
                            cell - 2);
                    g.setStroke(Color.web("#e0742b"));
                    g.setLineWidth(1);
                    g.strokeLine(x + 1 + (cell - 2) * wipe, y + 1, x + 1 + (cell - 2) * wipe, y + cell - 1);
                }
                if (src == preview) {
                    g.setStroke(Color.web("#e0742b"));
                    g.setLineWidth(1);
                    g.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
                }
            } else {
                g.setFill(dark ? Color.web("#23262b") : Color.web("#eceef1"));
                g.fillRect(x + 1, y + 1, cell - 2, cell - 2);
            }
            if (i == highlighted) {
                g.setStroke(Color.web("#2f6fd6"));
                g.setLineWidth(3);
                g.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
            }
        }
    }

    /** Image {@code index} of a flattened [C,H,W] batch in [−1, 1] as an FX image. */
    public static WritableImage toImage(double[] xs, int index, int[] shape) {
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        int off = index * c * h * w;
        WritableImage img = new WritableImage(w, h);
        PixelWriter pw = img.getPixelWriter();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c >= 3) {
                    pw.setArgb(x, y, 0xff000000 | level(xs[off + y * w + x]) << 16
                            | level(xs[off + h * w + y * w + x]) << 8 | level(xs[off + 2 * h * w + y * w + x]));
                } else {
                    int v = level(xs[off + y * w + x]);
                    pw.setArgb(x, y, 0xff000000 | v << 16 | v << 8 | v);
                }
            }
        }
        return img;
    }

    private static int level(double v) {
        return (int) org.flowbench.engine.metrics.Quantisation.level(v); // the levels FID sees; NaN shows black
    }

    /** The density image if computed; otherwise starts computing it off the FX thread and redraws when done. */
    private int[] densityPixels(ModelView m, int size, double cy, boolean dk) {
        String key = key(m, size, dk);
        int[] img = DENSITY.get(key);
        if (img == null && PENDING.add(key)) {
            Thread t = new Thread(() -> {
                density(m, size, cy, dk);
                PENDING.remove(key);
                javafx.application.Platform.runLater(this::redraw);
            }, "flowbench-density");
            t.setDaemon(true);
            t.start();
        } else if (img == null) {
            javafx.animation.PauseTransition p = new javafx.animation.PauseTransition(javafx.util.Duration.millis(100));
            p.setOnFinished(e -> redraw());
            p.play();
        }
        return img;
    }

    private static String key(ModelView m, int size, boolean dk) {
        return m.ref() + "@" + m.hash() + "/" + size + "/" + dk;
    }

    /** The exact data density as a heat map, ARGB row-major (cached per model, size and theme). */
    static int[] density(ModelView m, int size, double cy, boolean dark) {
        return DENSITY.computeIfAbsent(key(m, size, dark), k -> {
            KnownDistribution gm = m.mixture();
            double[] logp = new double[size * size];
            double max = Double.NEGATIVE_INFINITY;
            double[] pt = new double[2];
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    pt[0] = (i + 0.5) / size * 2 * EXTENT - EXTENT;
                    pt[1] = cy + EXTENT - (j + 0.5) / size * 2 * EXTENT;
                    double v = gm.dataLogDensity(pt, 0, -1);
                    logp[j * size + i] = v;
                    max = Math.max(max, v);
                }
            }
            int[] img = new int[size * size];
            Color bg = dark ? Color.web("#15171a") : Color.web("#fbfbfc");
            Color hi = dark ? Color.web("#4a5f8c") : Color.web("#a9c0ea");
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    double a = Math.exp(logp[j * size + i] - max);
                    img[j * size + i] = argb(bg.interpolate(hi, Math.pow(a, 0.5)));
                }
            }
            return img;
        });
    }
}
