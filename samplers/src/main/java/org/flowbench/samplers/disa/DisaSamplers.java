package org.flowbench.samplers.disa;

import java.util.List;
import org.flowbench.engine.model.ArTokenModel;
import org.flowbench.samplers.SamplerProvider;
import org.flowbench.samplers.SamplerRegistry.Entry;

/** Samplers of autoregressive token models. */
public final class DisaSamplers implements SamplerProvider {
    @Override
    public List<Entry> samplers() {
        return List.of(new Entry("disa", "DiSA: MAR's autoregressive sampling with head steps annealed from 'upper' to"
                + " 'lower' over the AR steps (schedule=constant: MAR's baseline)", DisaSampler.Config.class,
                c -> new DisaSampler((DisaSampler.Config) c), List.of(ArTokenModel.class)));
    }
}
