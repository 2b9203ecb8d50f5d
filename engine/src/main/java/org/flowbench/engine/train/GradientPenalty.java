package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.UnaryOperator;
import org.flowbench.engine.nn.NDParams;

/**
 * Gradient penalties that need second derivatives, by double backward. DJL's {@code GradientCollector} has no
 * "create graph" switch, so this calls the PyTorch engine's own backward with {@code createGraph = true} (public in
 * DJL's PyTorch JNI layer; PyTorch is the only engine Flowbench runs its networks on, ADR 0001).
 */
public final class GradientPenalty {
    private GradientPenalty() {}

    /**
     * R1 = ‖∇x D(x)‖² per sample ([n]), still connected to D's parameters so that a loss containing it has the
     * second-order gradient. Call it inside the step's gradient collector (a {@link StepTrainer} loss); {@code x} is
     * data (no gradient of its own). The inner backward also fills the gradients of D's parameters with
     * ∂ΣD/∂θ, which is not part of any loss: they are cleared here, so only the caller's loss reaches the optimiser.
     *
     * @param dParams the parameters D uses, all of them (their gradients are cleared after the inner backward)
     */
    public static NDArray r1(NDArray x, UnaryOperator<NDArray> d, NDParams dParams) {
        NDArray xg = x.duplicate();
        xg.setRequiresGradient(true);
        NDArray total = d.apply(xg).sum();
        JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), true, true);
        NDArray g = xg.getGradient();
        for (NDArray p : dParams.arrays().values()) {
            if (p.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
        long n = x.getShape().get(0);
        return g.square().reshape(n, -1).sum(new int[] {1});
    }
}
