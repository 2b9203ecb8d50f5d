package org.flowbench.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backward pass through a product and a quotient with numbers stays right when the garbage collector runs
 * between the forward and the backward pass and the freed memory is reused (the failure of DJL's mul(Number), whose
 * scalar buffer is freed while autograd still points into it).
 */
class ScalarsTest {
    @Test
    void gradientsThroughScalarsSurviveAGarbageCollectionBeforeBackward() {
        for (int trial = 0; trial < 5; trial++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.create(new float[] {1, 2, 3, 4});
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = Scalars.div(Scalars.mul(x, 3.0), 0.5);
                    System.gc();
                    List<ByteBuffer> churn = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4);
                        b.putFloat(0, Float.NaN);
                        churn.add(b);
                    }
                    gc.backward(y.sum());
                    churn.clear();
                }
                for (float g : x.getGradient().toFloatArray()) {
                    assertEquals(6f, g, 0f, "d(3x/0.5)/dx in trial " + trial);
                }
            }
        }
    }
}
