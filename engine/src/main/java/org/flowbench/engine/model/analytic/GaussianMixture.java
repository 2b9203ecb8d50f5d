package org.flowbench.engine.model.analytic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.random.NoiseSource;

/**
 * An isotropic Gaussian mixture p = Σ_k π_k N(μ_k, s_k² I) in R^d pushed along a {@link NoisePath}: the marginal at
 * t is Σ_k π_k N(α μ_k, c_k I) with c_k = α² s_k² + σ², so velocity, score, denoiser and log-density are exact.
 * Components may carry class labels; label c selects the mixture of the components labelled c.
 */
public final class GaussianMixture implements FlowModel, org.flowbench.engine.model.KnownDistribution {
    private static final int PARALLEL_THRESHOLD = 8192;

    private final String id;
    private final String hash;
    private final MixtureSpec spec;
    private final NoisePath path;
    private final int d;
    private final int k;
    private final double[] means; // k × d
    private final double[] var; // s_k²
    /** logWeights[label + 1][k]: log π_k normalised within the label, −∞ outside it. */
    private final double[][] logWeights;
    private final List<String> classNames;

    public GaussianMixture(String id, MixtureSpec spec) {
        this.id = id;
        this.spec = spec;
        this.hash = spec.hash();
        this.path = spec.noisePath();
        this.d = spec.dim();
        this.k = spec.weights().length;
        this.means = new double[k * d];
        this.var = new double[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(spec.means()[j], 0, means, j * d, d);
            var[j] = spec.stds()[j] * spec.stds()[j];
        }
        int classes = spec.numClasses();
        logWeights = new double[classes + 1][k];
        for (int c = -1; c < classes; c++) {
            double z = 0;
            for (int j = 0; j < k; j++) {
                if (c < 0 || spec.labels()[j] == c) {
                    z += spec.weights()[j];
                }
            }
            for (int j = 0; j < k; j++) {
                logWeights[c + 1][j] = (c < 0 || spec.labels()[j] == c) ? Math.log(spec.weights()[j] / z)
                        : Double.NEGATIVE_INFINITY;
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(spec.classNames() != null && c < spec.classNames().size() ? spec.classNames().get(c) : "class " + c);
        }
        this.classNames = List.copyOf(names);
    }

    public MixtureSpec spec() {
        return spec;
    }

    public int components() {
        return k;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public int[] shape() {
        return new int[] {d};
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public NoisePath path() {
        return path;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Parameterization nativeParameterization() {
        return Parameterization.VELOCITY;
    }

    private double[] lw(int[] labels, int i) {
        int c = labels == null ? -1 : labels[i];
        if (c < -1 || c >= logWeights.length - 1) {
            throw new FlowbenchException("label " + c + " is out of range for model " + id + " ("
                    + (logWeights.length - 1) + " classes)");
        }
        return logWeights[c + 1];
    }

    private enum Kind { VELOCITY, SCORE, DENOISE, EPSILON }

    private void field(Kind kind, double[] x, int n, double t, int[] labels, double[] out) {
        double a = path.alpha(t);
        double s = path.sigma(t);
        double da = path.dAlpha(t);
        double ds = path.dSigma(t);
        if (n >= PARALLEL_THRESHOLD) {
            int chunks = Math.max(1, Runtime.getRuntime().availableProcessors());
            int per = (n + chunks - 1) / chunks;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int from = c * per;
                int to = Math.min(n, from + per);
                range(kind, x, from, to, a, s, da, ds, labels, out);
            });
        } else {
            range(kind, x, 0, n, a, s, da, ds, labels, out);
        }
    }

    private void range(Kind kind, double[] x, int from, int to, double a, double s, double da, double ds,
                       int[] labels, double[] out) {
        double[] logR = new double[k];
        double[] c = new double[k];
        double[] coef = new double[k];
        double[] shift = new double[k];
        for (int j = 0; j < k; j++) {
            c[j] = a * a * var[j] + s * s;
            switch (kind) {
                case VELOCITY -> {
                    coef[j] = (da * a * var[j] + ds * s) / c[j];
                    shift[j] = da;
                }
                case SCORE -> {
                    coef[j] = -1 / c[j];
                    shift[j] = 0;
                }
                case DENOISE -> {
                    coef[j] = a * var[j] / c[j];
                    shift[j] = 1;
                }
                case EPSILON -> {
                    coef[j] = s / c[j];
                    shift[j] = 0;
                }
            }
        }
        for (int i = from; i < to; i++) {
            double[] w = lw(labels, i);
            int off = i * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (w[j] == Double.NEGATIVE_INFINITY) {
                    logR[j] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double q = 0;
                int mo = j * d;
                for (int e = 0; e < d; e++) {
                    double r = x[off + e] - a * means[mo + e];
                    q += r * r;
                }
                logR[j] = w[j] - 0.5 * d * Math.log(c[j]) - 0.5 * q / c[j];
                max = Math.max(max, logR[j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) {
                logR[j] = Math.exp(logR[j] - max);
                z += logR[j];
            }
            for (int e = 0; e < d; e++) {
                out[off + e] = 0;
            }
            for (int j = 0; j < k; j++) {
                double r = logR[j] / z;
                if (r == 0) {
                    continue;
                }
                int mo = j * d;
                for (int e = 0; e < d; e++) {
                    double m = means[mo + e];
                    out[off + e] += r * (shift[j] * m + coef[j] * (x[off + e] - a * m));
                }
            }
        }
    }

    @Override
    public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
        field(Kind.VELOCITY, x, n, t, labels, out);
    }

    @Override
    public void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        for (int i = 0; i < n; i++) {
            double ti = t[i];
            range(Kind.VELOCITY, x, i, i + 1, path.alpha(ti), path.sigma(ti), path.dAlpha(ti), path.dSigma(ti),
                    labels, out);
        }
    }

    @Override
    public void score(double[] x, int n, double t, int[] labels, double[] out) {
        field(Kind.SCORE, x, n, t, labels, out);
    }

    @Override
    public void denoise(double[] x, int n, double t, int[] labels, double[] out) {
        field(Kind.DENOISE, x, n, t, labels, out);
    }

    /** E[x0 | x_t = x]: the noise prediction, finite at σ = 0. */
    public void epsilon(double[] x, int n, double t, int[] labels, double[] out) {
        field(Kind.EPSILON, x, n, t, labels, out);
    }

    /** log p_t(x | label) for one state at offset {@code off}. */
    public double logDensity(double[] x, int off, double t, int label) {
        double a = path.alpha(t);
        double s = path.sigma(t);
        double[] w = logWeights[label + 1];
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[k];
        for (int j = 0; j < k; j++) {
            if (w[j] == Double.NEGATIVE_INFINITY) {
                terms[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double c = a * a * var[j] + s * s;
            double q = 0;
            for (int e = 0; e < d; e++) {
                double r = x[off + e] - a * means[j * d + e];
                q += r * r;
            }
            terms[j] = w[j] - 0.5 * d * Math.log(2 * Math.PI * c) - 0.5 * q / c;
            max = Math.max(max, terms[j]);
        }
        double z = 0;
        for (double v : terms) {
            z += Math.exp(v - max);
        }
        return max + Math.log(z);
    }

    /** log-density of the data distribution (t = tEnd without the residual noise: exactly the mixture). */
    public double dataLogDensity(double[] x, int off, int label) {
        double[] w = logWeights[label + 1];
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[k];
        for (int j = 0; j < k; j++) {
            if (w[j] == Double.NEGATIVE_INFINITY) {
                terms[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double q = 0;
            for (int e = 0; e < d; e++) {
                double r = x[off + e] - means[j * d + e];
                q += r * r;
            }
            terms[j] = w[j] - 0.5 * d * Math.log(2 * Math.PI * var[j]) - 0.5 * q / var[j];
            max = Math.max(max, terms[j]);
        }
        double z = 0;
        for (double v : terms) {
            z += Math.exp(v - max);
        }
        return max + Math.log(z);
    }

    /** Exact mixture weight of component j under a label (−1 = all components). */
    public double weight(int j, int label) {
        return Math.exp(logWeights[label + 1][j]);
    }

    public double[] mean(int j) {
        return Arrays.copyOfRange(means, j * d, (j + 1) * d);
    }

    public double std(int j) {
        return Math.sqrt(var[j]);
    }

    /** Index of the component whose mean is nearest to the state at {@code off} (mode assignment). */
    public int nearestComponent(double[] x, int off) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double q = 0;
            for (int e = 0; e < d; e++) {
                double r = x[off + e] - means[j * d + e];
                q += r * r;
            }
            if (q < bestD) {
                bestD = q;
                best = j;
            }
        }
        return best;
    }

    /** Mean of the data distribution under a label. */
    public double[] dataMean(int label) {
        double[] m = new double[d];
        for (int j = 0; j < k; j++) {
            double w = weight(j, label);
            for (int e = 0; e < d; e++) {
                m[e] += w * means[j * d + e];
            }
        }
        return m;
    }

    /** Covariance (d × d, row-major) of the data distribution under a label. */
    public double[] dataCovariance(int label) {
        double[] mu = dataMean(label);
        double[] cov = new double[d * d];
        for (int j = 0; j < k; j++) {
            double w = weight(j, label);
            if (w == 0) {
                continue;
            }
            for (int a = 0; a < d; a++) {
                cov[a * d + a] += w * var[j];
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += w * (means[j * d + a] - mu[a]) * (means[j * d + b] - mu[b]);
                }
            }
        }
        return cov;
    }

    /** n exact samples of the data distribution, image i a pure function of (seed, i). */
    public double[] sampleData(long seed, int n, int label) {
        double[] out = new double[n * d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = NoiseSource.uniform(seed, i, 7, 0);
            int j = 0;
            double acc = weight(0, label);
            while (u >= acc && j < k - 1) {
                j++;
                acc += weight(j, label);
            }
            NoiseSource.gaussian(seed, i, 8, z, 0, d);
            double sd = Math.sqrt(var[j]);
            for (int e = 0; e < d; e++) {
                out[i * d + e] = means[j * d + e] + sd * z[e];
            }
        }
        return out;
    }
}
