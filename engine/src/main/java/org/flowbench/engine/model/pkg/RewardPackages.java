package org.flowbench.engine.model.pkg;

import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Model;

/**
 * Opens models used as rewards or judges by reference: a classifier package ({@code builtin:fashion-classifier},
 * {@code builtin:fashion-judge}, a package folder or {@code classifier:FOLDER}). The caller asks the result for the
 * capability it needs ({@link org.flowbench.engine.model.RewardModel}, {@link org.flowbench.engine.model.Classifier}).
 */
public final class RewardPackages {
    private RewardPackages() {}

    public static Model open(String ref) {
        String r = ref.startsWith("classifier:") ? ref.substring("classifier:".length()) : ref;
        Path dir = PackageResolver.packageDir(r);
        if (dir == null) {
            throw new FlowbenchException("'" + ref + "' is not a reward package",
                    "use builtin:fashion-classifier, builtin:fashion-judge or a classifier package folder");
        }
        ModelPackage p = ModelPackage.open(dir);
        String kind = p.string("kind");
        if ("classifier".equals(kind)) {
            return ClassifierModel.open(p);
        }
        throw new FlowbenchException("'" + ref + "' is a " + kind + " package, not a reward",
                "use a classifier package");
    }
}
