package org.flowbench.engine.model.pkg;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.Model;
import org.flowbench.engine.model.RewardModel;

/**
 * An external reward (package kind {@code reward}, architecture {@code torchscript}): a TorchScript module
 * {@code forward(x, labels) → rewards} with x float32 [n, shape…] in [−1, 1], labels int64 [n] (−1 = no prompt) and
 * rewards float32 [n], higher is better. The module runs on the caller's tensors, so a gradient collector spans it:
 * ReNO differentiates through it as through the built-in rewards. A user exports their own scorer (a CLIP-like
 * model resized to 28×28 inputs, an aesthetic head) with {@code torch.jit.script} or {@code torch.jit.trace}.
 */
public final class TorchScriptReward implements Model, RewardModel {
    private final String id;
    private final String hash;
    private final String name;
    private final int[] shape;
    private final ZooModel<NDList, NDList> model;

    TorchScriptReward(String id, ModelPackage p) {
        this.id = id;
        this.hash = p.hash();
        this.shape = p.imageShape();
        Object r = p.manifest().get("reward");
        this.name = r instanceof String s ? s : "reward of " + p.string("name");
        Path file = ExternalFlowModel.networkFile(p, "TorchScript");
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(file.toAbsolutePath()).optEngine("PyTorch")
                    .optDevice(org.flowbench.engine.device.Devices.current()).optTranslator(new NoopTranslator())
                    .build();
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new FlowbenchException("cannot load TorchScript reward " + file + ": " + e.getMessage(),
                    "the file must be a TorchScript module (torch.jit.save) with forward(x, labels)", e);
        }
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
    public String rewardName() {
        return name;
    }

    @Override
    public boolean differentiable() {
        return true;
    }

    @Override
    public NDArray reward(NDArray x, Condition[] c) {
        if (!Arrays.equals(Arrays.copyOfRange(x.getShape().getShape(), 1, x.getShape().dimension()),
                Arrays.stream(shape).asLongStream().toArray())) {
            throw new FlowbenchException("reward " + id + " takes images of shape " + Arrays.toString(shape)
                    + ", got " + x.getShape());
        }
        long[] labels = new long[c.length];
        for (int i = 0; i < c.length; i++) {
            labels[i] = c[i].labelIndex();
        }
        NDArray l = x.getManager().create(labels, new Shape(c.length));
        NDList out;
        try {
            // DJL's Block.forward(…, training = false) runs the module without autograd and (true) in train mode
            // (dropout on); a reward needs eval mode with autograd, so the module is called directly
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            synchronized (this) {
                JniUtils.enableInferenceMode(block);
                out = IValueUtils.forward(block, new NDList(x, l), true);
            }
        } catch (RuntimeException e) {
            throw new FlowbenchException("TorchScript reward " + id + " failed: " + e.getMessage(), null, e);
        }
        NDArray r = out.singletonOrThrow();
        if (r.getShape().dimension() != 1 || r.getShape().get(0) != c.length) {
            throw new FlowbenchException("TorchScript reward " + id + " returned shape " + r.getShape() + "; it must "
                    + "return one reward per image, [" + c.length + "]");
        }
        return r;
    }

    @Override
    public synchronized void close() {
        model.close();
    }
}
