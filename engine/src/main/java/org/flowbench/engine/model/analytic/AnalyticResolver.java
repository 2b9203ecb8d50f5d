package org.flowbench.engine.model.analytic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.ModelResolver;

/** builtin:PRESET and *.json mixture specs. */
public final class AnalyticResolver implements ModelResolver {
    /** The oracle token model of DiSA's premise test. */
    public static final String GMM_TOKENS = "builtin:gmm-tokens";

    @Override
    public FlowModel open(String ref) {
        if (ref.equals(GMM_TOKENS)) {
            return GmmTokenOracle.premiseToy(GMM_TOKENS, 0);
        }
        if (ref.startsWith("builtin:")) {
            Presets.Preset p = Presets.get(ref.substring("builtin:".length()));
            return p == null ? null : new GaussianMixture(ref, p.spec());
        }
        Path file = Path.of(ref);
        if (ref.endsWith(".json") && !Files.isDirectory(file)) {
            if (!Files.isRegularFile(file)) {
                throw new FlowbenchException("model spec " + ref + " does not exist");
            }
            return new GaussianMixture(ref, MixtureSpec.read(file));
        }
        return null;
    }

    @Override
    public List<ModelInfo> builtins() {
        List<ModelInfo> out = new ArrayList<>();
        for (Presets.Preset p : Presets.all().values()) {
            out.add(new ModelInfo("builtin:" + p.name(), "analytic " + p.spec().noisePath().id(), p.description()));
        }
        out.add(new ModelInfo(GMM_TOKENS, "analytic ar-tokens", "oracle autoregressive token model: 16 scalar tokens"
                + " of a 4-component Gaussian mixture with exact conditionals (DiSA's premise toy; --sampler disa)"));
        return out;
    }
}
