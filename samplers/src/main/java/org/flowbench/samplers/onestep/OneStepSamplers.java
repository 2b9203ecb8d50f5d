package org.flowbench.samplers.onestep;

import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.samplers.SamplerProvider;
import org.flowbench.samplers.SamplerRegistry.Entry;

/** One- and few-step generators' samplers. */
public final class OneStepSamplers implements SamplerProvider {
    @Override
    public List<Entry> samplers() {
        return List.of(new Entry("nitro", "NitroFusion's bottom-up refinement: 1–4 steps at shifted timesteps, "
                + "re-noised to the original levels", NitroSampler.Config.class,
                c -> new NitroSampler((NitroSampler.Config) c), List.of(FlowModel.class)));
    }
}
