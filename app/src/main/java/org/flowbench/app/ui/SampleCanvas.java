package org.flowbench.app.ui;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import org.flowbench.engine.model.analytic.GaussianMixture;

/**
 * Draws a lane's samples: for 2-D models a scatter over the exact target density (heat map), finished samples as
 * dots and the in-flight batch's x̂ preview as hollow marks; for [C,H,W] models a grid of the first images (image i
 * in the same cell in every lane), final images where finished and previews where still in flight.
 */
public final class SampleCanvas extends Canvas {
    /** Cells of the image grid. */
    public static final int GRID = 4;
    private static final double EXTENT = 5.5;
    private static final Map<String, WritableImage> DENSITY = new ConcurrentHashMap<>();
    private static final java.util.Set<String> PENDING = ConcurrentHashMap.newKeySet();
    /** The scatter draws the first this many samples (the same indices in every lane). */
    public static final int MAX_POINTS = 2000;

    private MainViewModel.ModelView model;
    private double[] samples = new double[0];
    private double[] preview;
    private Color color = Color.web("#2f6fd6");
    private long highlighted = -1;
    private boolean dark;

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
        ticker.play();
    }

    /** Marks the canvas for the next tick's redraw. */
    public void invalidate() {
        invalid = true;
    }

    public void setModel(MainViewModel.ModelView m) {
        this.model = m;
        redraw();
    }

    public void setData(double[] s, double[] p) {
        this.samples = s == null ? new double[0] : s;
        this.preview = p;
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

    private void drawScatter(GraphicsContext g, double w, double h) {
        if (model.mixture() != null) {
            WritableImage bg = densityIfReady(model, (int) w, centerY(), dark);
            if (bg != null) {
                g.drawImage(bg, 0, 0);
            }
        }
        g.setFill(color.deriveColor(0, 1, 1, 0.55));
        int count = Math.min(MAX_POINTS, samples.length / 2);
        for (int i = 0; i < count; i++) {
            double x = px(samples[2 * i]);
            double y = py(samples[2 * i + 1]);
            g.fillRect(x - 1.25, y - 1.25, 2.5, 2.5);
        }
        if (preview != null) {
            g.setStroke(Color.web("#e0742b").deriveColor(0, 1, 1, 0.7));
            g.setLineWidth(1);
            for (int i = 0; i + 1 < Math.min(preview.length, 2 * MAX_POINTS); i += 2) {
                double x = px(preview[i]);
                double y = py(preview[i + 1]);
                g.strokeRect(x - 1.5, y - 1.5, 3, 3);
            }
        }
        if (highlighted >= 0 && highlighted < count) {
            double x = px(samples[(int) (2 * highlighted)]);
            double y = py(samples[(int) (2 * highlighted + 1)]);
            g.setStroke(dark ? Color.WHITE : Color.BLACK);
            g.setLineWidth(2);
            g.strokeOval(x - 6, y - 6, 12, 12);
        }
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
    private WritableImage densityIfReady(MainViewModel.ModelView m, int size, double cy, boolean dk) {
        String key = key(m, size, dk);
        WritableImage img = DENSITY.get(key);
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

    private static String key(MainViewModel.ModelView m, int size, boolean dk) {
        return m.ref() + "@" + m.hash() + "/" + size + "/" + dk;
    }

    /** The exact data density as a heat map (cached per model, size and theme). */
    static WritableImage density(MainViewModel.ModelView m, int size, double cy, boolean dark) {
        return DENSITY.computeIfAbsent(key(m, size, dark), k -> {
            GaussianMixture gm = m.mixture();
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
            WritableImage img = new WritableImage(size, size);
            PixelWriter pw = img.getPixelWriter();
            Color bg = dark ? Color.web("#15171a") : Color.web("#fbfbfc");
            Color hi = dark ? Color.web("#4a5f8c") : Color.web("#a9c0ea");
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    double a = Math.exp(logp[j * size + i] - max);
                    pw.setColor(i, j, bg.interpolate(hi, Math.pow(a, 0.5)));
                }
            }
            return img;
        });
    }
}
