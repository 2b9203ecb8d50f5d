package org.flowbench.samplers.fkc;

import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.samplers.SamplerProvider;
import org.flowbench.samplers.SamplerRegistry.Entry;

/** Feynman–Kac correctors. */
public final class FkcSamplers implements SamplerProvider {
    @Override
    public List<Entry> samplers() {
        return List.of(new Entry("fkc", "Feynman–Kac correctors: weighted SDE + resampling for CFG, annealing, products",
                FkcSampler.Config.class, c -> new FkcSampler((FkcSampler.Config) c), List.of(FlowModel.class)));
    }
}
