package org.flowbench.samplers.ode;

import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.samplers.SamplerProvider;
import org.flowbench.samplers.SamplerRegistry.Entry;

/** The ODE and SDE solvers: euler, heun, rk4, rk45, euler-maruyama. */
public final class OdeSamplers implements SamplerProvider {
    @Override
    public List<Entry> samplers() {
        List<Entry> out = new ArrayList<>();
        List<Class<?>> field = List.of(FlowModel.class);
        for (OdeSampler.Method m : OdeSampler.Method.values()) {
            out.add(new Entry(m.id, m.description, OdeSampler.Config.class,
                    c -> new OdeSampler(m, (OdeSampler.Config) c), field));
        }
        out.add(new Entry("rk45", "adaptive Dormand–Prince 5(4), per-image step control", Rk45Sampler.Config.class,
                c -> new Rk45Sampler((Rk45Sampler.Config) c), field));
        out.add(new Entry("euler-maruyama", "Euler–Maruyama on the reverse SDE of the model's path",
                EulerMaruyamaSampler.Config.class, c -> new EulerMaruyamaSampler((EulerMaruyamaSampler.Config) c),
                field));
        return out;
    }
}
