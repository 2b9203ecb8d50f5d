package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.flowbench.engine.model.FeatureExtractor;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/** The built-in classifier: 128-d features for FID, and class log-probabilities. */
public final class ClassifierModel implements FeatureExtractor, AutoCloseable {
    private final String hash;
    private final ClassifierCnn net;
    private final int[] shape;
    private final List<String> classNames;
    private final NDManager manager;
    private final NDParams params;

    public ClassifierModel(String hash, ClassifierCnn net, ParamStore weights, int[] shape, List<String> classNames) {
        this.hash = hash;
        this.net = net;
        this.shape = shape.clone();
        this.classNames = List.copyOf(classNames);
        this.manager = NDManager.newBaseManager();
        this.params = weights.materialize(manager, false);
    }

    /** Opens a classifier package (hashes and shapes checked). */
    public static ClassifierModel open(ModelPackage p) {
        if (!"classifier".equals(p.string("kind")) || !ClassifierCnn.ARCHITECTURE.equals(p.string("architecture"))) {
            throw new org.flowbench.engine.FlowbenchException("model package " + p.dir() + " is not a "
                    + ClassifierCnn.ARCHITECTURE + " classifier");
        }
        ClassifierCnn net = ClassifierCnn.fromConfig(p.map("config"));
        ParamStore w = net.init(0);
        p.loadWeights(w);
        return new ClassifierModel(p.hash(), net, w, p.imageShape(), p.classNames());
    }

    @Override
    public int dim() {
        return ClassifierCnn.FEATURES;
    }

    @Override
    public String id() {
        return "builtin:fashion-classifier";
    }

    /** The package hash (sha256 over the weight files' sha256). */
    @Override
    public String hash() {
        return hash;
    }

    @Override
    public String preprocessing() {
        return "none: 1x28x28 pixels in [-1,1] fed as float32; features = ReLU(fc) of " + ClassifierCnn.ARCHITECTURE;
    }

    public List<String> classNames() {
        return classNames;
    }

    private int imageDim() {
        return shape[0] * shape[1] * shape[2];
    }

    private NDArray input(NDManager m, double[] x, int n) {
        float[] f = new float[n * imageDim()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) x[i];
        }
        return m.create(f, new Shape(n, shape[0], shape[1], shape[2]));
    }

    @Override
    public synchronized void features(double[] x, int n, double[] out) {
        try (NDManager sub = manager.newSubManager()) {
            float[] f = net.features(params, input(sub, x, n)).toFloatArray();
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        }
    }

    /** Log-probabilities, n × classes. */
    public synchronized void logProbabilities(double[] x, int n, double[] out) {
        try (NDManager sub = manager.newSubManager()) {
            NDParams p = params;
            float[] f = net.logits(p, net.features(p, input(sub, x, n))).logSoftmax(1).toFloatArray();
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        }
    }

    /**
     * The differentiable reward r(x, y) = log p(y | x) per image and its gradient with respect to x (n × image size),
     * in one batched backward pass. Labels −1 give a zero reward and gradient.
     */
    public synchronized void logProbabilityGradient(double[] x, int n, int[] labels, double[] reward, double[] grad) {
        int c = net.classes();
        float[] onehot = new float[n * c];
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0) {
                onehot[i * c + labels[i]] = 1f;
            }
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray xa = input(sub, x, n);
            xa.setRequiresGradient(true);
            float[] r;
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray lp = net.logits(params, net.features(params, xa)).logSoftmax(1)
                        .mul(sub.create(onehot, new Shape(n, c))).sum(new int[] {1});
                r = lp.toFloatArray();
                gc.backward(lp.sum());
            }
            float[] g;
            try (NDArray ga = xa.getGradient()) {
                g = ga.toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                reward[i] = r[i];
            }
            for (int i = 0; i < g.length; i++) {
                grad[i] = g[i];
            }
        }
    }

    /** Most likely class of each image. */
    public int[] predict(double[] x, int n) {
        int c = net.classes();
        double[] lp = new double[n * c];
        logProbabilities(x, n, lp);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (lp[i * c + k] > lp[i * c + best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
