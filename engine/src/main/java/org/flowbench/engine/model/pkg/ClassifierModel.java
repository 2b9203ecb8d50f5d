package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.flowbench.engine.model.Classifier;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.FeatureExtractor;
import org.flowbench.engine.model.Gradients;
import org.flowbench.engine.model.Model;
import org.flowbench.engine.model.RewardModel;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * The built-in classifier: 128-d features for FID, class log-probabilities, and the differentiable reward
 * log p(class | x) on the tensor tier.
 */
public final class ClassifierModel implements Model, FeatureExtractor, RewardModel, Classifier {
    private final String id;
    private final String hash;
    private final ClassifierCnn net;
    private final int[] shape;
    private final List<String> classNames;
    private final NDManager manager;
    private final NDParams params;

    public ClassifierModel(String hash, ClassifierCnn net, ParamStore weights, int[] shape, List<String> classNames) {
        this("builtin:fashion-classifier", hash, net, weights, shape, classNames);
    }

    public ClassifierModel(String id, String hash, ClassifierCnn net, ParamStore weights, int[] shape,
                           List<String> classNames) {
        this.id = id;
        this.hash = hash;
        this.net = net;
        this.shape = shape.clone();
        this.classNames = List.copyOf(classNames);
        this.manager = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current());
        this.params = weights.materialize(manager, false);
    }

    /** Opens a classifier package (hashes and shapes checked). */
    public static ClassifierModel open(ModelPackage p) {
        if (!"classifier".equals(p.string("kind")) || !ClassifierCnn.ARCHITECTURE.equals(p.string("architecture"))) {
            throw new org.flowbench.engine.FlowbenchException("model package " + p.dir() + " is not a "
                    + ClassifierCnn.ARCHITECTURE + " classifier");
        }
        ClassifierCnn net = p.architecture(ClassifierCnn::fromConfig);
        ParamStore w = net.init(0);
        p.loadWeights(w);
        String ref = PackageResolver.referenceOf(p);
        return new ClassifierModel(ref.startsWith("builtin:") ? ref : "classifier:" + ref, p.hash(), net, w, p.imageShape(),
                p.classNames());
    }

    @Override
    public int dim() {
        return net.featureSize();
    }

    @Override
    public String id() {
        return id;
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

    @Override
    public int classes() {
        return net.classes();
    }

    /** Log-probabilities, n × classes. */
    @Override
    public synchronized void logProbabilities(double[] x, int n, double[] out) {
        try (NDManager sub = manager.newSubManager()) {
            NDParams p = params;
            float[] f = net.logits(p, net.features(p, input(sub, x, n))).logSoftmax(1).toFloatArray();
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
        }
    }

    @Override
    public String rewardName() {
        return "log p(class | x)";
    }

    @Override
    public boolean differentiable() {
        return true;
    }

    /** log p(c | x) per image, in x's manager; unconditional images (no class) get 0. */
    @Override
    public NDArray reward(NDArray x, Condition[] c) {
        int n = c.length;
        int k = net.classes();
        float[] onehot = new float[n * k];
        for (int i = 0; i < n; i++) {
            int l = c[i].labelIndex();
            if (l >= k) {
                throw new org.flowbench.engine.FlowbenchException("class " + l + " is outside the classifier's "
                        + k + " classes");
            }
            if (l >= 0) {
                onehot[i * k + l] = 1f;
            }
        }
        return net.logits(params, net.features(params, x)).logSoftmax(1)
                .mul(x.getManager().create(onehot, new Shape(n, k))).sum(new int[] {1});
    }

    /**
     * The differentiable reward r(x, y) = log p(y | x) per image and its gradient with respect to x (n × image size),
     * in one batched backward pass. Labels −1 give a zero reward and gradient.
     */
    public void logProbabilityGradient(double[] x, int n, int[] labels, double[] reward, double[] grad) {
        Gradients.RewardGradient g = Gradients.ofReward(this, shape, java.util.Arrays.copyOf(x, n * imageDim()),
                Condition.of(labels, n));
        System.arraycopy(g.reward(), 0, reward, 0, n);
        System.arraycopy(g.gradient(), 0, grad, 0, n * imageDim());
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
