package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Classifier;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.Model;
import org.flowbench.engine.model.RewardModel;

/**
 * Opens models used as rewards or judges by reference: a classifier package ({@code builtin:fashion-classifier},
 * {@code builtin:fashion-judge}, {@code builtin:fashion-realism}, a package folder or {@code classifier:FOLDER}), or a
 * TorchScript reward package ({@link TorchScriptReward}). The caller asks the result for the
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
            ClassifierModel c = ClassifierModel.open(p);
            Object reward = p.manifest().get("reward");
            if (reward instanceof Map<?, ?> spec && spec.get("class") instanceof Number k) {
                return new FixedClassReward(c, k.intValue(), String.valueOf(spec.get("name")));
            }
            return c;
        }
        if ("reward".equals(kind) && "torchscript".equals(p.string("architecture"))) {
            return new TorchScriptReward(PackageResolver.referenceOf(p), p);
        }
        throw new FlowbenchException("'" + ref + "' is a " + kind + " package, not a reward",
                "use a classifier package or a TorchScript reward package (kind reward, architecture torchscript)");
    }

    /**
     * A classifier whose package names one class as its reward (a realism discriminator: log p(real | x)): the reward
     * ignores the prompt. Still a {@link Classifier}, so it can judge too.
     */
    static final class FixedClassReward implements Model, RewardModel, Classifier {
        private final ClassifierModel classifier;
        private final int rewardClass;
        private final String name;

        FixedClassReward(ClassifierModel classifier, int rewardClass, String name) {
            if (rewardClass < 0 || rewardClass >= classifier.classes()) {
                throw new FlowbenchException("reward class " + rewardClass + " is outside the package's "
                        + classifier.classes() + " classes");
            }
            this.classifier = classifier;
            this.rewardClass = rewardClass;
            this.name = name;
        }

        @Override
        public String id() {
            return classifier.id();
        }

        @Override
        public String hash() {
            return classifier.hash();
        }

        @Override
        public String rewardName() {
            return name;
        }

        @Override
        public boolean differentiable() {
            return true;
        }

        @Override
        public NDArray reward(NDArray x, Condition[] c) {
            Condition[] fixed = new Condition[c.length];
            Arrays.fill(fixed, Condition.label(rewardClass));
            return classifier.reward(x, fixed);
        }

        @Override
        public int classes() {
            return classifier.classes();
        }

        @Override
        public void logProbabilities(double[] x, int n, double[] out) {
            classifier.logProbabilities(x, n, out);
        }

        @Override
        public void close() {
            classifier.close();
        }
    }
}
