package org.flowbench.engine.model.pkg;

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
import java.nio.file.Path;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;
import org.flowbench.engine.model.PredictionModel;

/**
 * An external TorchScript network as a flow model (package architecture {@code torchscript}). Declared signature:
 * {@code forward(x: float32 [n, shape...], t: float32 [n], labels: int64 [n]) → float32 [n, shape...]}, with network
 * time {@code networkTimeScale · t} in the package's time convention (rectified flow here: t = 0 noise), predicting
 * the manifest's parameterization (velocity, epsilon or data); the other predictions are exact conversions.
 */
public final class TorchScriptFlowModel extends PredictionModel {
    private final String id;
    private final String hash;
    private final int[] shape;
    private final List<String> classNames;
    private final Parameterization native_;
    private final NoisePath path;
    private final double timeScale;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    TorchScriptFlowModel(String id, ModelPackage p) {
        this.id = id;
        this.hash = p.hash();
        this.shape = p.imageShape();
        this.classNames = p.classNames();
        this.native_ = Parameterization.parse(p.string("parameterization"));
        String pathId = String.valueOf(p.manifest().getOrDefault("path", "rectified-flow"));
        if (!pathId.equals("rectified-flow")) {
            throw new FlowbenchException("TorchScript package " + p.dir() + " uses path " + pathId
                    + "; this version runs TorchScript networks on the rectified-flow path only");
        }
        this.path = Paths.RECTIFIED_FLOW;
        Object ts = p.manifest().get("networkTimeScale");
        this.timeScale = ts instanceof Number n ? n.doubleValue() : 1.0;
        Path file = p.resolveInside(p.string("file"));
        if (!p.weights().containsKey(p.string("file"))) {
            throw new FlowbenchException("TorchScript package " + p.dir() + " does not list " + p.string("file")
                    + " with its sha256 under \"weights\"");
        }
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(file.toAbsolutePath()).optEngine("PyTorch").optTranslator(new NoopTranslator()).build();
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new FlowbenchException("cannot load TorchScript network " + file + ": " + e.getMessage(),
                    "the file must be a TorchScript module (torch.jit.save)", e);
        }
        this.predictor = model.newPredictor();
        double[] probe = new double[dim()];
        double[] out = new double[dim()];
        predict(probe, 1, 0.5, null, out);
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
        return shape.clone();
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
        return native_;
    }

    @Override
    public String dtype() {
        return "float32";
    }

    @Override
    protected void predict(double[] x, int n, double t, int[] labels, double[] out) {
        double[] ts = new double[n];
        java.util.Arrays.fill(ts, t);
        evaluate(x, n, ts, labels, out);
    }

    @Override
    public void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        if (native_ == Parameterization.VELOCITY) {
            evaluate(x, n, t, labels, out);
        } else {
            super.velocityAt(x, n, t, labels, out);
        }
    }

    private synchronized void evaluate(double[] x, int n, double[] t, int[] labels, double[] out) {
        int d = dim();
        long[] s = new long[shape.length + 1];
        s[0] = n;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
        }
        float[] xf = new float[n * d];
        for (int i = 0; i < xf.length; i++) {
            xf[i] = (float) x[i];
        }
        float[] tf = new float[n];
        long[] lab = new long[n];
        for (int i = 0; i < n; i++) {
            tf[i] = (float) (timeScale * t[i]);
            lab[i] = labels == null ? -1 : labels[i];
        }
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList res = predictor.predict(new NDList(m.create(xf, new Shape(s)), m.create(tf, new Shape(n)),
                    m.create(lab, new Shape(n))));
            NDArray r = res.singletonOrThrow();
            if (r.size() != (long) n * d) {
                throw new FlowbenchException("TorchScript network " + id + " returned shape " + r.getShape()
                        + " for input " + new Shape(s));
            }
            float[] v = r.toFloatArray();
            for (int i = 0; i < n * d; i++) {
                out[i] = v[i];
            }
            res.close();
        } catch (TranslateException e) {
            throw new FlowbenchException("TorchScript network " + id + " failed: " + e.getMessage(), null, e);
        }
    }

    @Override
    public synchronized void close() {
        predictor.close();
        model.close();
    }
}
