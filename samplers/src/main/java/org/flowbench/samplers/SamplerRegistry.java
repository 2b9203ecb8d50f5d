package org.flowbench.samplers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.ServiceLoader;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Capabilities;
import org.flowbench.engine.model.Model;

/**
 * Stable sampler ids → factories, discovered from {@link SamplerProvider}s. The ids are part of project files and
 * must never change meaning.
 */
public final class SamplerRegistry {
    /** A registered sampler: its id, what it does, its config record, its factory and the capabilities it needs. */
    public record Entry(String id, String description, Class<? extends Record> configType,
                        Function<Record, Sampler> factory, List<Class<?>> needs) {
        public Entry {
            needs = List.copyOf(needs);
        }

        /** Null if the sampler can run on {@code model}; otherwise why not, in words. */
        public String unavailableOn(Model model) {
            for (Class<?> c : needs) {
                if (model.as(c).isEmpty()) {
                    return id + " needs " + Capabilities.describe(c) + "; " + model.id() + " has none";
                }
            }
            return null;
        }

        /** Throws one clear error if the sampler cannot run on {@code model}. */
        public void checkModel(Model model) {
            String why = unavailableOn(model);
            if (why != null) {
                List<String> fitting;
                synchronized (ENTRIES) {
                    fitting = ENTRIES.values().stream().filter(e -> e.unavailableOn(model) == null).map(Entry::id)
                            .toList();
                }
                throw new FlowbenchException(why, (fitting.isEmpty() ? "" : "samplers that run on it: "
                        + String.join(", ", fitting) + "; ") + "run 'flowbench samplers' to see what each sampler needs");
            }
        }

        public List<ParamSpec> params() {
            return Configs.specs(configType);
        }

        public Sampler create(Map<String, String> params) {
            return factory.apply(Configs.bind(configType, params));
        }
    }

    private static final Map<String, Entry> ENTRIES = Collections.synchronizedMap(new LinkedHashMap<>());

    static {
        for (SamplerProvider p : ServiceLoader.load(SamplerProvider.class, SamplerRegistry.class.getClassLoader())) {
            p.samplers().forEach(SamplerRegistry::register);
        }
    }

    private SamplerRegistry() {}

    public static void register(Entry e) {
        ENTRIES.put(e.id(), e);
    }

    /** Removes a registered sampler (plug-ins unloading, tests). */
    public static void unregister(String id) {
        ENTRIES.remove(id);
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
