package org.flowbench.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flowbench.engine.FlowbenchException;

/**
 * Opens models by reference. Model kinds are {@link ModelResolver}s found by {@link ServiceLoader} (model packages,
 * analytic presets and spec files); tests and plug-ins may {@link #register} more, tried first.
 */
public final class Models {
    private static final List<ModelResolver> RESOLVERS = new CopyOnWriteArrayList<>();

    static {
        // model kinds are discovered (META-INF/services), in the order listed there: packages before analytic specs
        for (ModelResolver r : ServiceLoader.load(ModelResolver.class, Models.class.getClassLoader())) {
            RESOLVERS.add(r);
        }
    }

    private Models() {}

    public static void register(ModelResolver resolver) {
        RESOLVERS.add(0, resolver);
    }

    /** Opens {@code builtin:NAME}, a mixture spec {@code .json}, or whatever a registered resolver accepts. */
    public static FlowModel open(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new FlowbenchException("no model given", "pass --model builtin:NAME, a model folder or a spec.json");
        }
        for (ModelResolver r : RESOLVERS) {
            FlowModel m = r.open(ref);
            if (m != null) {
                return m;
            }
        }
        if (ref.startsWith("builtin:")) {
            throw new FlowbenchException("unknown built-in model '" + ref + "'", "run 'flowbench models' for the list");
        }
        throw new FlowbenchException("cannot open model '" + ref + "': not a built-in name, model folder or spec file",
                "run 'flowbench models' for the built-in ones");
    }

    public static List<ModelResolver.ModelInfo> builtins() {
        List<ModelResolver.ModelInfo> out = new ArrayList<>();
        for (int i = RESOLVERS.size() - 1; i >= 0; i--) {
            out.addAll(RESOLVERS.get(i).builtins());
        }
        return out;
    }
}
