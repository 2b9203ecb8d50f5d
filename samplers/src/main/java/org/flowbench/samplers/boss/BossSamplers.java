package org.flowbench.samplers.boss;

import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.samplers.SamplerProvider;
import org.flowbench.samplers.SamplerRegistry.Entry;

/** BOSS: Euler/Heun on Bellman-optimal step times. */
public final class BossSamplers implements SamplerProvider {
    @Override
    public List<Entry> samplers() {
        return List.of(new Entry("boss", "BOSS: Euler/Heun on Bellman-optimal step times chosen from a fine grid",
                BossSampler.Config.class, c -> new BossSampler((BossSampler.Config) c), List.of(FlowModel.class)));
    }
}
