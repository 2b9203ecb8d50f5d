package org.flowbench.engine.model.pkg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.ModelResolver;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;

/**
 * Opens model packages: {@code builtin:fashion-flow} and {@code builtin:fashion-classifier} from the {@code models/}
 * folder of the Flowbench home (system property {@code flowbench.home}, else the working directory or a parent),
 * any package folder, and zipped packages (unpacked safely next to the zip). A {@code ?cfg=W} suffix wraps the
 * model in classifier-free guidance with weight W.
 */
public final class PackageResolver implements ModelResolver {
    public static final List<String> BUILTINS = List.of("fashion-flow", "fashion-flow-uncond", "fashion-flow-boss4",
            "fashion-slimflow", "fashion-nitro", "fashion-mar", "fashion-classifier", "fashion-judge", "fashion-realism");

    /** The built-ins that are classifiers rather than flows. */
    public static final List<String> CLASSIFIERS = List.of("fashion-classifier", "fashion-judge", "fashion-realism");

    /** How a package is referred to: builtin:NAME for a built-in's name, else its folder. */
    public static String referenceOf(ModelPackage p) {
        String name = p.string("name");
        return name != null && BUILTINS.contains(name) ? "builtin:" + name : p.dir().toString();
    }

    /** The models/ folder, or null when none is found. */
    public static Path modelsDir() {
        return org.flowbench.engine.model.ModelHome.modelsDir();
    }

    /** The package folder of a built-in name, or an error saying where it was looked for. */
    public static Path builtinDir(String name) {
        Path models = modelsDir();
        if (models == null || !ModelPackage.isPackage(models.resolve(name))) {
            throw new FlowbenchException("built-in model " + name + " is not installed"
                    + (models == null ? " (no models/ folder found)" : " in " + models),
                    name.equals("fashion-flow") ? "train it with 'flowbench train flow', see docs/training.md"
                            : "set -Dflowbench.home to the Flowbench folder");
        }
        return models.resolve(name);
    }

    @Override
    public FlowModel open(String ref) {
        String r = ref;
        Double cfg = null;
        int q = r.indexOf("?cfg=");
        if (q >= 0) {
            try {
                cfg = Double.parseDouble(r.substring(q + 5));
            } catch (NumberFormatException e) {
                throw new FlowbenchException("bad guidance weight in '" + ref + "'", "use e.g. builtin:fashion-flow?cfg=2");
            }
            r = r.substring(0, q);
        }
        Path models = modelsDir();
        if (r.equals("builtin:fashion-flow") && models != null && !ModelPackage.isPackage(models.resolve("fashion-flow"))
                && Files.isRegularFile(models.resolve("fashion-flow").resolve("checkpoint.safetensors"))) {
            FlowModel m = openCheckpoint(models.resolve("fashion-flow").resolve("checkpoint.safetensors"), ref);
            return cfg == null ? m : new GuidedModel(m, cfg);
        }
        Path dir = packageDir(r);
        if (dir == null) {
            return null;
        }
        FlowModel m = openFlow(ModelPackage.open(dir), ref);
        return cfg == null ? m : new GuidedModel(m, cfg);
    }

    /**
     * The package folder a reference names ({@code builtin:NAME}, a package folder or a zipped package, unpacked
     * next to it), or null when the reference is not a package; a built-in that is not installed is an error.
     */
    public static Path packageDir(String ref) {
        if (ref.startsWith("builtin:")) {
            String name = ref.substring("builtin:".length());
            return BUILTINS.contains(name) ? builtinDir(name) : null;
        }
        Path p = Path.of(ref);
        if (Files.isDirectory(p) && ModelPackage.isPackage(p)) {
            return p;
        }
        if (ref.endsWith(".zip") && Files.isRegularFile(p)) {
            Path target = p.resolveSibling(p.getFileName().toString().replaceAll("\\.zip$", "") + ".unpacked");
            return ZipPackages.unpack(p, target);
        }
        return null;
    }

    /**
     * The EMA weights of a flow training checkpoint (a run still in progress), so that the built-in model is usable
     * before its package is written.
     */
    public static FlowModel openCheckpoint(Path file, String id) {
        org.flowbench.engine.io.Safetensors.Contents c = org.flowbench.engine.io.Safetensors.read(file);
        java.util.Map<String, String> meta = c.metadata();
        if (!FlowUNet.ARCHITECTURE.equals(meta.get("architecture"))) {
            throw new FlowbenchException("checkpoint " + file + " is not a " + FlowUNet.ARCHITECTURE + " flow checkpoint");
        }
        java.util.Map<String, Object> config;
        try {
            config = org.flowbench.engine.io.Json.MAPPER.readValue(meta.get("config"),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new FlowbenchException("checkpoint " + file + " has an unreadable config: " + e.getMessage());
        }
        FlowUNet net = FlowUNet.fromConfig(config);
        ParamStore w = net.init(0);
        w.load(c.tensors(), "ema/", "checkpoint " + file);
        LOG.warn("builtin:fashion-flow is still training: using the EMA weights of its checkpoint at step {}",
                meta.get("step"));
        return new NetworkFlowModel(id, ModelPackage.sha256(file), net, w, new int[] {1, 28, 28},
                org.flowbench.engine.data.FashionMnist.CLASS_NAMES);
    }

    /**
     * The reference statistics a model declares for domain FID: the manifest's {@code referenceStats} (a path relative
     * to the package folder, or {@code builtin:NAME/FILE} inside a built-in package); for {@code builtin:fashion-flow}
     * still training (no manifest yet) the Fashion-MNIST test statistics of the built-in classifier. Empty when the
     * model declares none or the file is not installed.
     */
    public static java.util.Optional<Path> defaultReferenceStats(String ref) {
        if (ref == null) {
            return java.util.Optional.empty();
        }
        String r = ref;
        int q = r.indexOf('?');
        if (q >= 0) {
            r = r.substring(0, q);
        }
        Path dir = null;
        Path models = modelsDir();
        if (r.startsWith("builtin:")) {
            String name = r.substring("builtin:".length());
            if (BUILTINS.contains(name) && models != null) {
                dir = models.resolve(name);
            }
        } else if (!r.isBlank()) {
            try {
                dir = Path.of(r);
            } catch (java.nio.file.InvalidPathException e) {
                return java.util.Optional.empty();
            }
        }
        if (dir == null) {
            return java.util.Optional.empty();
        }
        String declared = null;
        Path manifest = dir.resolve(ModelPackage.MANIFEST);
        if (Files.isRegularFile(manifest)) {
            try {
                declared = org.flowbench.engine.io.Json.MAPPER.readTree(manifest.toFile()).path("referenceStats")
                        .asText(null);
            } catch (java.io.IOException e) {
                return java.util.Optional.empty();
            }
        } else if (r.equals("builtin:fashion-flow")) {
            declared = "builtin:fashion-classifier/fashion-mnist-test.stats"; // ReferenceStatistics.FILE
        }
        if (declared == null || declared.isBlank()) {
            return java.util.Optional.empty();
        }
        Path p;
        if (declared.startsWith("builtin:")) {
            String rest = declared.substring("builtin:".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || models == null || !BUILTINS.contains(rest.substring(0, slash))) {
                return java.util.Optional.empty();
            }
            p = models.resolve(rest.substring(0, slash)).resolve(rest.substring(slash + 1));
        } else {
            p = dir.resolve(declared);
        }
        return Files.isRegularFile(p) ? java.util.Optional.of(p.toAbsolutePath().normalize())
                : java.util.Optional.empty();
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PackageResolver.class);

    /** An autoregressive token package (the tiny MAR) as a model for token samplers (DiSA). */
    static FlowModel openArTokens(ModelPackage p, String id) {
        String arch = p.string("architecture");
        if (!org.flowbench.engine.nn.TinyMar.ARCHITECTURE.equals(arch)) {
            throw new FlowbenchException("model package " + p.dir() + " is an autoregressive token model of"
                    + " architecture " + arch + ", which this version cannot run",
                    "supported: " + org.flowbench.engine.nn.TinyMar.ARCHITECTURE);
        }
        org.flowbench.engine.nn.TinyMar net = p.architecture(org.flowbench.engine.nn.TinyMar::fromConfig);
        ParamStore w = net.init(0);
        p.loadWeights(w);
        return new MarModel(id, p.hash(), net, w, p.imageShape(), p.classNames());
    }

    /** A flow package as a model; other kinds are a clear error. */
    public static FlowModel openFlow(ModelPackage p, String id) {
        String kind = p.string("kind");
        if ("ar-tokens".equals(kind)) {
            return openArTokens(p, id);
        }
        if (!"flow".equals(kind)) {
            throw new FlowbenchException("model package " + p.dir() + " is a " + kind + ", not a generative model",
                    "use it where a " + kind + " is expected (e.g. as the FID feature extractor)");
        }
        String arch = p.string("architecture");
        if (!arch.equals("torchscript") && !arch.equals("onnx")) {
            // built-in architectures are trained here as rectified-flow velocity networks; say so if a manifest differs
            PackageConventions.requireRectifiedVelocity(p, arch);
        }
        if (org.flowbench.engine.nn.VelocityMlp.ARCHITECTURE.equals(arch)) {
            org.flowbench.engine.nn.VelocityMlp mlp = p.architecture(org.flowbench.engine.nn.VelocityMlp::fromConfig);
            ParamStore mw = mlp.init(0);
            p.loadWeights(mw);
            MlpFlowModel m = new MlpFlowModel(id, p.hash(), mlp, mw);
            m.storeTimes(p);
            return m;
        }
        if (arch.equals("torchscript")) {
            return new TorchScriptFlowModel(id, p);
        }
        if (arch.equals("onnx")) {
            return new OnnxFlowModel(id, p);
        }
        if (!FlowUNet.ARCHITECTURE.equals(arch)) {
            throw new FlowbenchException("model package " + p.dir() + " has architecture " + arch
                    + ", which this version cannot run", "supported: " + FlowUNet.ARCHITECTURE + ", "
                            + org.flowbench.engine.nn.VelocityMlp.ARCHITECTURE + ", torchscript, onnx");
        }
        FlowUNet net = p.architecture(FlowUNet::fromConfig);
        ParamStore w = net.init(0);
        p.loadWeights(w);
        NetworkFlowModel m = new NetworkFlowModel(id, p.hash(), net, w, p.imageShape(), p.classNames());
        m.storeTimes(p);
        m.compileNetwork(); // part of loading: a run's sampling time then holds only sampling
        return m;
    }

    @Override
    public List<ModelInfo> builtins() {
        List<ModelInfo> out = new ArrayList<>();
        Path models = modelsDir();
        for (String n : BUILTINS) {
            boolean present = models != null && ModelPackage.isPackage(models.resolve(n));
            boolean training = !present && models != null
                    && Files.isRegularFile(models.resolve(n).resolve("checkpoint.safetensors"));
            String what = switch (n) {
                case "fashion-flow" -> "class-conditional rectified-flow UNet, Fashion-MNIST 28x28";
                case "fashion-flow-uncond" -> "fashion-flow fine-tuned with half the labels dropped: good without a "
                        + "prompt too";
                case "fashion-flow-boss4" -> "fashion-flow straightened by BOSS for 4 Euler steps on its Bellman times";
                case "fashion-slimflow" -> "one-step SlimFlow student of fashion-flow (a quarter of its size): Euler, 1 step";
                case "fashion-nitro" -> "NitroFusion student of fashion-flow (dynamic adversarial head pool): "
                        + "sampler nitro, 1-4 steps";
                case "fashion-mar" -> "tiny MAR: autoregressive token model with a flow head (49 patches), "
                        + "sampler disa";
                case "fashion-realism" -> "realism reward: real-vs-generated discriminator for fashion-slimflow, "
                        + "log p(real | x)";
                case "fashion-judge" -> "held-out judge: a second Fashion-MNIST classifier (other shape and seed), "
                        + "never a reward";
                default -> "Fashion-MNIST classifier CNN (FID features, reward)";
            };
            String kind = CLASSIFIERS.contains(n) ? "network classifier"
                    : n.equals("fashion-mar") ? "network ar-tokens" : "network flow";
            out.add(new ModelInfo("builtin:" + n, kind,
                    what + (present ? "" : !training ? " (not installed)" : n.equals("fashion-flow")
                            ? " (training in progress: EMA weights of the newest checkpoint)"
                            : " (training in progress: not usable until its package is written)")));
        }
        return out;
    }
}
