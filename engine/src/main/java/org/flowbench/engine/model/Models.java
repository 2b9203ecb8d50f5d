package org.flowbench.engine.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.model.analytic.Presets;

/** Opens models by reference. Analytic presets and spec files are built in; other kinds register a resolver. */
public final class Models {
    private static final List<ModelResolver> RESOLVERS = new CopyOnWriteArrayList<>();

    static {
        RESOLVERS.add(new AnalyticResolver());
        RESOLVERS.add(0, new org.flowbench.engine.model.pkg.PackageResolver());
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

    /** builtin:PRESET and *.json mixture specs. */
    static final class AnalyticResolver implements ModelResolver {
        @Override
        public FlowModel open(String ref) {
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
            return out;
        }
    }
}
