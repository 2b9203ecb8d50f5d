package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.Scalars;

/**
 * A differentiable distance between two batches of images, one value per image: the regression loss of one-step
 * distillation. {@link #l2} is the pixel mean squared error; {@link #classifierPerceptual} compares the images on the
 * feature maps of a frozen classifier the way LPIPS compares them on VGG's (see docs/decisions/0006).
 */
public interface ImageDistance {
    /** Name recorded in provenance. */
    String name();

    /** The parameter group the distance reads (a frozen network), or null when it needs none. */
    String group();

    /** d(a_i, b_i) for each image i of a and b ([n, ...], same shape): an [n] array. */
    NDArray perImage(Map<String, NDParams> params, NDArray a, NDArray b);

    /** Mean over the dimensions of (a − b)²: the reflow loss's distance. */
    static ImageDistance l2() {
        return new ImageDistance() {
            @Override
            public String name() {
                return "l2";
            }

            @Override
            public String group() {
                return null;
            }

            @Override
            public NDArray perImage(Map<String, NDParams> params, NDArray a, NDArray b) {
                NDArray d = a.sub(b).square();
                return d.reshape(d.getShape().get(0), -1).mean(new int[] {1});
            }
        };
    }

    /** Each position's channel vector scaled to unit length (ε inside the root keeps the gradient finite at 0). */
    private static NDArray unit(NDArray f) {
        return f.div(f.square().sum(new int[] {1}, true).add(1e-10f).sqrt());
    }

    /**
     * LPIPS-style distance on a frozen classifier's feature maps plus {@code l2Weight} × the pixel L2: for every map
     * the channel vector at each position is unit-normalised, the squared difference is summed over channels and
     * averaged over positions, and the maps are added with equal weights (LPIPS's learned per-channel weights exist
     * only for VGG/AlexNet; equal weights are LPIPS's own "baseline" variant). The classifier's weights come from
     * parameter group {@code group}, which the trainer keeps frozen.
     */
    static ImageDistance classifierPerceptual(ClassifierCnn net, String group, double l2Weight) {
        ImageDistance pixel = l2();
        return new ImageDistance() {
            @Override
            public String name() {
                return "classifier-perceptual(conv1..conv4, unit-normalised channels, equal weights)"
                        + (l2Weight > 0 ? " + " + l2Weight + "·l2" : "");
            }

            @Override
            public String group() {
                return group;
            }

            @Override
            public NDArray perImage(Map<String, NDParams> params, NDArray a, NDArray b) {
                // two passes: the target's needs no backward pass (one pass over both would backpropagate through it)
                List<NDArray> ma = net.maps(params.get(group), a);
                List<NDArray> mb = net.maps(params.get(group), b.stopGradient());
                NDArray total = null;
                for (int l = 0; l < ma.size(); l++) {
                    NDArray d = unit(ma.get(l)).sub(unit(mb.get(l))).square().sum(new int[] {1}); // [n, h, w]
                    NDArray per = d.reshape(d.getShape().get(0), -1).mean(new int[] {1});
                    total = total == null ? per : total.add(per);
                }
                return l2Weight > 0 ? total.add(Scalars.mul(pixel.perImage(params, a, b), l2Weight)) : total;
            }
        };
    }
}
