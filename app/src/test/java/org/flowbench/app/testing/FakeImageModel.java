package org.flowbench.app.testing;

import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;

/**
 * A tiny image model for UI tests: a two-component Gaussian mixture in 1×8×8 whose means are a bright square and a
 * bright cross on a dark background, in [−1, 1]. Exact velocity, so samples are clean images of either pattern.
 */
public final class FakeImageModel extends DelegatingModel {
    public static final String REF = "test:fake-images";

    public FakeImageModel() {
        super(new GaussianMixture(REF, MixtureSpec.of("rectified-flow", new double[] {0.5, 0.5},
                new double[][] {pattern(true), pattern(false)}, new double[] {0.05, 0.05})));
    }

    private static double[] pattern(boolean square) {
        double[] m = new double[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean on = square ? (x >= 2 && x <= 5 && y >= 2 && y <= 5) : (x == 3 || x == 4 || y == 3 || y == 4);
                m[y * 8 + x] = on ? 0.9 : -0.9;
            }
        }
        return m;
    }

    @Override
    public int[] shape() {
        return new int[] {1, 8, 8};
    }
}
