package org.flowbench.engine.model.pkg;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
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
import org.flowbench.engine.FlowbenchException;

/** An external TorchScript network (package architecture {@code torchscript}), run by DJL's PyTorch engine. */
public final class TorchScriptFlowModel extends ExternalFlowModel {
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    TorchScriptFlowModel(String id, ModelPackage p) {
        super(id, p);
        Path file = networkFile(p, "TorchScript");
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(file.toAbsolutePath()).optEngine("PyTorch").optDevice(org.flowbench.engine.device.Devices.current())
                    .optTranslator(new NoopTranslator()).build();
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new FlowbenchException("cannot load TorchScript network " + file + ": " + e.getMessage(),
                    "the file must be a TorchScript module (torch.jit.save)", e);
        }
        this.predictor = model.newPredictor();
        probe();
    }

    @Override
    public String device() {
        return org.flowbench.engine.device.Devices.name(model.getNDManager().getDevice());
    }

    @Override
    float[] run(float[] x, long[] xShape, float[] t, long[] labels, int n) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList res = predictor.predict(new NDList(m.create(x, new Shape(xShape)), m.create(t, new Shape(n)),
                    m.create(labels, new Shape(n))));
            float[] v = res.singletonOrThrow().toFloatArray();
            res.close();
            return v;
        } catch (TranslateException e) {
            throw new FlowbenchException("TorchScript network " + id() + " failed: " + e.getMessage(), null, e);
        }
    }

    @Override
    public synchronized void close() {
        predictor.close();
        model.close();
    }
}
