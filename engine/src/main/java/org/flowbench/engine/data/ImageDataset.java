package org.flowbench.engine.data;

import java.util.List;

/**
 * Images in memory: n images of shape [c, h, w] as float32 in [−1, 1], row-major, with integer labels (−1 when
 * unlabelled) and class names.
 */
public record ImageDataset(String name, int[] shape, float[] pixels, int[] labels, List<String> classNames) {
    public int size() {
        return labels.length;
    }

    public int dim() {
        return shape[0] * shape[1] * shape[2];
    }

    /** Byte value 0..255 to [−1, 1]: v/127.5 − 1. */
    public static float toUnit(int b) {
        return (float) (b / 127.5 - 1.0);
    }
}
