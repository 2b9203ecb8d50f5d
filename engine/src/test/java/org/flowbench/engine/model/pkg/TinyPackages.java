package org.flowbench.engine.model.pkg;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.data.FashionMnist;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;

/** Test fixtures: tiny model packages written on the fly (shared with other modules' tests via the test-jar). */
public final class TinyPackages {
    private TinyPackages() {}

    /** A tiny flow package (channels 8/8/8) with random weights, including a non-zero output layer. */
    public static Path flow(Path dir) throws Exception {
        FlowUNet net = new FlowUNet(8, 8, 8, 16, 10, 1000);
        ParamStore w = net.init(3);
        float[] out = w.get("out.weight");
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (r.nextGaussian() * 0.1);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tiny-flow");
        m.put("kind", "flow");
        m.put("architecture", FlowUNet.ARCHITECTURE);
        m.put("config", net.config());
        m.put("parameterization", "velocity");
        m.put("imageShape", new int[] {1, 28, 28});
        m.put("conditioning", Map.of("type", "class", "classNames", FashionMnist.CLASS_NAMES, "nullClass", 10));
        ModelPackage.write(dir, m, w, Map.of(), "# tiny\n");
        return dir;
    }
}
