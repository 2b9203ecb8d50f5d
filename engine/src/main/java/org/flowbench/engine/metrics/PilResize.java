package org.flowbench.engine.metrics;

/**
 * PIL's antialiased bicubic resize of a single-channel float image ({@code Image.resize(size, Image.BICUBIC)} in
 * mode 'F'), which clean-fid's "clean" mode applies per channel before its Inception: separable, the horizontal pass
 * first into a float32 intermediate, then the vertical one; each output pixel is a weighted sum over the input
 * pixels within the filter's support, scaled by the reduction factor (antialiasing when shrinking), with weights
 * normalised to sum to one. Coefficients and sums in double, stored as float32, as PIL does.
 */
final class PilResize {
    /** PIL's bicubic support (Keys' cubic with a = −0.5). */
    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    private final int h;
    private final int w;
    private final int oh;
    private final int ow;
    private final Coefficients cx;
    private final Coefficients cy;

    /** A resize of h×w images to oh×ow, its coefficients computed once for every image it is applied to. */
    PilResize(int h, int w, int oh, int ow) {
        this.h = h;
        this.w = w;
        this.oh = oh;
        this.ow = ow;
        this.cx = new Coefficients(w, ow);
        this.cy = new Coefficients(h, oh);
    }

    static double bicubic(double x) {
        x = Math.abs(x);
        if (x < 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0;
    }

    /** An h×w float image (row-major) resized to oh×ow. */
    static float[] resize(float[] src, int h, int w, int oh, int ow) {
        return new PilResize(h, w, oh, ow).apply(src);
    }

    /** One h×w float image (row-major) resized to oh×ow. */
    float[] apply(float[] src) {
        float[] tmp = new float[h * ow];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                int from = cx.first[x];
                for (int k = 0; k < cx.count[x]; k++) {
                    s += src[y * w + from + k] * cx.weights[x][k];
                }
                tmp[y * ow + x] = (float) s;
            }
        }
        float[] out = new float[oh * ow];
        for (int y = 0; y < oh; y++) {
            int from = cy.first[y];
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < cy.count[y]; k++) {
                    s += tmp[(from + k) * ow + x] * cy.weights[y][k];
                }
                out[y * ow + x] = (float) s;
            }
        }
        return out;
    }

    /** PIL's precompute_coeffs for one axis: input range [0, in) onto out pixels. */
    private static final class Coefficients {
        final int[] first;
        final int[] count;
        final double[][] weights;

        Coefficients(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            double ss = 1.0 / filterScale;
            first = new int[out];
            count = new int[out];
            weights = new double[out][];
            for (int o = 0; o < out; o++) {
                double center = (o + 0.5) * scale;
                // C's (int) cast truncates towards zero
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), in) - xmin;
                double[] k = new double[Math.max(xmax, 0)];
                double sum = 0;
                for (int x = 0; x < k.length; x++) {
                    k[x] = bicubic((x + xmin - center + 0.5) * ss);
                    sum += k[x];
                }
                if (sum != 0) {
                    for (int x = 0; x < k.length; x++) {
                        k[x] /= sum;
                    }
                }
                first[o] = xmin;
                count[o] = k.length;
                weights[o] = k;
            }
        }
    }
}
