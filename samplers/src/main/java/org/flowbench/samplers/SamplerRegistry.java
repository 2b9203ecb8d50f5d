package org.flowbench.samplers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.samplers.boss.BossSampler;
import org.flowbench.samplers.fkc.FkcSampler;
import org.flowbench.samplers.ode.EulerMaruyamaSampler;
import org.flowbench.samplers.ode.OdeSampler;
import org.flowbench.samplers.ode.Rk45Sampler;

/** Stable sampler ids → factories. The ids are part of project files and must never change meaning. */
public final class SamplerRegistry {
    /** A registered sampler family. */
    public record Entry(String id, String description, Class<? extends Record> configType,
                        Function<Record, Sampler> factory) {
        public List<ParamSpec> params() {
            return Configs.specs(configType);
        }

        public Sampler create(Map<String, String> params) {
            return factory.apply(Configs.bind(configType, params));
        }
    }

    private static final Map<String, Entry> ENTRIES = Collections.synchronizedMap(new LinkedHashMap<>());

    static {
        for (OdeSampler.Method m : OdeSampler.Method.values()) {
            register(new Entry(m.id, m.description, OdeSampler.Config.class, c -> new OdeSampler(m, (OdeSampler.Config) c)));
        }
        register(new Entry("rk45", "adaptive Dormand–Prince 5(4), per-image step control", Rk45Sampler.Config.class,
                c -> new Rk45Sampler((Rk45Sampler.Config) c)));
        register(new Entry("euler-maruyama", "Euler–Maruyama on the reverse SDE of the model's path",
                EulerMaruyamaSampler.Config.class, c -> new EulerMaruyamaSampler((EulerMaruyamaSampler.Config) c)));
        register(new Entry("boss", "BOSS: Euler/Heun on Bellman-optimal step times chosen from a fine grid",
                BossSampler.Config.class, c -> new BossSampler((BossSampler.Config) c)));
        register(new Entry("fkc", "Feynman–Kac correctors: weighted SDE + resampling for CFG, annealing, products",
                FkcSampler.Config.class, c -> new FkcSampler((FkcSampler.Config) c)));
    }

    private SamplerRegistry() {}

    public static void register(Entry e) {
        ENTRIES.put(e.id(), e);
    }

    public static List<Entry> all() {
        synchronized (ENTRIES) {
            return new ArrayList<>(ENTRIES.values());
        }
    }

    public static Entry get(String id) {
        Entry e = ENTRIES.get(id);
        if (e == null) {
            throw new FlowbenchException("unknown sampler '" + id + "'", "available: " + String.join(", ", ids()));
        }
        return e;
    }

    public static List<String> ids() {
        synchronized (ENTRIES) {
            return new ArrayList<>(ENTRIES.keySet());
        }
    }

    public static Sampler create(String id, Map<String, String> params) {
        return get(id).create(params);
    }
}
