package org.flowbench.samplers.reno;

import java.util.List;
import org.flowbench.engine.model.TensorField;
import org.flowbench.samplers.SamplerProvider;
import org.flowbench.samplers.SamplerRegistry.Entry;

/** Reward-based noise optimisation. */
public final class RenoSamplers implements SamplerProvider {
    @Override
    public List<Entry> samplers() {
        return List.of(new Entry("reno", "ReNO: optimise each image's initial noise for a reward through a one-step "
                + "(or few-step) generator; best image by reward", RenoSampler.Config.class,
                c -> new RenoSampler((RenoSampler.Config) c), List.of(TensorField.class)));
    }
}
