package org.flowbench.app.ui;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.app.session.Metrics;
import org.flowbench.app.session.Session;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.ModelResolver;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.samplers.SamplerRegistry;

/**
 * The setup of a comparison: the model, prompt, N, batch, seed and its policy, preview cadence, the FID reference and
 * the compute device. Choosing a model opens it in the background to learn its shape, classes and hash
 * ({@link #modelProperty}); the device list is probed in the background too. It tells its owner when a setting changed
 * (the project is dirty), what to show in the status bar, and when the loaded model's hash differs from the one the
 * project's results were made with.
 */
public final class SetupViewModel {
    private final UiExecutor ui;
    private final Executor background;
    private final Session.ModelOpener opener;
    private final Runnable changed;
    private final Consumer<String> status;
    private final BiConsumer<String, String> resultsFromAnotherModel;

    private final StringProperty modelRef = new SimpleStringProperty();
    private final StringProperty prompt = new SimpleStringProperty("");
    private final IntegerProperty n = new SimpleIntegerProperty(2000);
    private final IntegerProperty batch = new SimpleIntegerProperty(250);
    private final LongProperty seed = new SimpleLongProperty(0);
    private final ObjectProperty<SeedPolicy> seedPolicy = new SimpleObjectProperty<>(SeedPolicy.FIXED);
    private final IntegerProperty previewEvery = new SimpleIntegerProperty(2);
    private final StringProperty referenceStats = new SimpleStringProperty("exact");
    private final StringProperty referenceLabel = new SimpleStringProperty("exact (analytic model)");
    private final ObjectProperty<ModelView> model = new SimpleObjectProperty<>();
    private final StringProperty device = new SimpleStringProperty(Devices.currentSpec());
    private final ObservableList<String> devices = FXCollections.observableArrayList("auto", "cpu");
    private boolean devicesProbed;
    /** What each device choice stands for ("gpu:0: NVIDIA H100, 75.2 GiB free of 79.6 GiB"), once probed. */
    private volatile java.util.Map<String, String> deviceLabels = java.util.Map.of();
    private volatile CompletableFuture<Void> modelGate = CompletableFuture.completedFuture(null);
    /** The hash of the model the project's results were made with, then of the model now loaded. */
    private String modelHash;
    private boolean quiet;

    /**
     * @param changed a setting changed (not called while the owner loads a project, see {@link #quietly})
     * @param status a line for the status bar
     * @param resultsFromAnotherModel (model reference, hash the results were made with) when the loaded model differs
     */
    SetupViewModel(UiExecutor ui, Executor background, Session.ModelOpener opener, Runnable changed,
                   Consumer<String> status, BiConsumer<String, String> resultsFromAnotherModel) {
        this.ui = ui;
        this.background = background;
        this.opener = opener;
        this.changed = changed;
        this.status = status;
        this.resultsFromAnotherModel = resultsFromAnotherModel;
        modelRef.addListener((o, a, b) -> {
            model.set(null); // until the new model is open: no view keeps showing the previous one
            loadModel(b);
            updateReferenceLabel();
            changed();
        });
        for (var p : List.of(prompt, n, batch, seed, seedPolicy)) {
            p.addListener((o, a, b) -> changed());
        }
        referenceStats.addListener((o, a, b) -> {
            updateReferenceLabel();
            changed();
        });
        device.addListener((o, a, b) -> useDevice(a, b));
        if (!devices.contains(device.get())) {
            devices.add(device.get());
        }
    }

    /**
     * Asks the engine which GPUs it can use and offers them (once, when the device list is first opened): the engine
     * loads its natives for that, seconds of CPU that a window showing only analytic models never needs to spend.
     */
    public void probeDevices() {
        if (devicesProbed) {
            return;
        }
        devicesProbed = true;
        background.execute(() -> {
            List<Devices.Option> options = Devices.options();
            List<String> found = options.stream().map(Devices.Option::spec).toList();
            java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
            options.forEach(o -> labels.put(o.spec(), o.label()));
            ui.execute(() -> {
                deviceLabels = labels;
                String chosen = device.get();
                devices.setAll(found);
                if (!devices.contains(chosen)) {
                    devices.add(chosen);
                }
                device.set(chosen); // a choice box clears its value when its items are replaced
            });
        });
    }

    private void changed() {
        if (!quiet) {
            changed.run();
        }
    }

    /** Runs {@code r} without reporting its changes (the owner is loading a project or the setup adjusts itself). */
    void quietly(Runnable r) {
        boolean was = quiet;
        quiet = true;
        try {
            r.run();
        } finally {
            quiet = was;
        }
    }

    /** The hash of the loaded model (or, until it is loaded, the one the project's results were made with). */
    String modelHash() {
        return modelHash;
    }

    /** The hash the project's results were made with, before its model reference is set (compared when it loads). */
    void expectHash(String hash) {
        modelHash = hash;
    }

    /**
     * The hash the project's results were made with, when a project is loaded; if {@code ref} is already loaded, it is
     * compared at once, otherwise when the model is open.
     */
    void expectModel(String ref, String hash) {
        modelHash = hash;
        ModelView open = model.get();
        if (open != null && open.ref().equals(ref) && open.hash() != null && ref.equals(modelRef.get())) {
            modelHash = open.hash();
            if (hash != null && !hash.equals(open.hash())) {
                resultsFromAnotherModel.accept(ref, hash);
            }
        }
    }

    /** Models opened from now on (the next run) use the chosen device; an unusable one is refused in the status bar. */
    private void useDevice(String previous, String chosen) {
        if (chosen == null || chosen.equals(Devices.currentSpec())) {
            return;
        }
        background.execute(() -> {
            try {
                Devices.use(chosen);
                ui.execute(() -> status.accept("Device: " + chosen + " (from the next run)"));
            } catch (FlowbenchException e) {
                ui.execute(() -> {
                    status.accept(e.oneLine());
                    device.set(previous);
                });
            }
        });
    }

    private void updateReferenceLabel() {
        String r = referenceStats.get();
        if (r == null || r.isBlank() || r.equals("exact")) {
            referenceLabel.set("exact (analytic model)");
        } else if (r.equals(Metrics.DEFAULT)) {
            referenceLabel.set(PackageResolver.defaultReferenceStats(modelRef.get())
                    .map(p -> "model default: " + p.getFileName())
                    .orElse("model default: none declared"));
        } else {
            Metrics.Reference ref = Metrics.Reference.parse(r);
            Path p = ref.file();
            referenceLabel.set((p.getFileName() == null ? r : p.getFileName().toString())
                    + (ref.extractor() == null ? "" : " (features " + ref.extractor() + ")"));
        }
    }

    /** Uses the reference statistics the model package declares (project value "default"). */
    public void useDefaultReference() {
        referenceStats.set(Metrics.DEFAULT);
    }

    /** Uses this .stats file for domain FID; returns an error message (and changes nothing) if it is unreadable. */
    public String useReference(Path file) {
        return useReference(file, null);
    }

    /**
     * Uses this statistics file for domain FID; an .npz from another tool (pytorch-fid, clean-fid) does not say how
     * its features were made, so it needs the feature extractor they came from ({@code extractor}, e.g.
     * builtin:fashion-classifier or torchscript:inception.pt?size=299). Returns an error message (and changes
     * nothing) if the file is unreadable, or an .npz comes without a usable extractor.
     */
    public String useReference(Path file, String extractor) {
        try {
            org.flowbench.engine.metrics.ReferenceStats rs = org.flowbench.engine.metrics.ReferenceStats.read(file);
            String value = file.toAbsolutePath().toString();
            if (!rs.measurementKnown()) {
                if (extractor == null || extractor.isBlank()) {
                    throw new FlowbenchException(file.getFileName() + " does not say how its features were made",
                            "name the feature extractor they came from");
                }
                ModelView m = model.get();
                if (m != null && m.shape() != null) {
                    org.flowbench.engine.model.FeatureExtractor fx = org.flowbench.engine.metrics.FeatureExtractors
                            .resolve(extractor, m.shape());
                    if (fx.dim() != rs.dim()) {
                        throw new FlowbenchException(extractor + " makes " + fx.dim() + "-d features; "
                                + file.getFileName() + " holds " + rs.dim() + "-d statistics",
                                "name the extractor the statistics were made with");
                    }
                }
                value = new Metrics.Reference(file.toAbsolutePath(), extractor).toString();
            }
            referenceStats.set(value);
            return null;
        } catch (FlowbenchException e) {
            status.accept(e.oneLine());
            return e.oneLine();
        }
    }

    /** Built-in models for the picker (analytic presets and registered packages). */
    public List<ModelResolver.ModelInfo> builtinModels() {
        return Models.builtins();
    }

    /** Prompts the selected model understands ("all", then its class names); empty = unconditional only. */
    public List<String> prompts() {
        ModelView m = model.get();
        if (m == null || m.classNames().isEmpty()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        out.add(org.flowbench.engine.model.PromptSet.ALL); // every class in turn
        out.addAll(m.classNames());
        return out;
    }

    private void loadModel(String ref) {
        if (ref == null || ref.isBlank()) {
            return;
        }
        CompletableFuture<Void> gate = modelGate;
        background.execute(() -> {
            gate.join();
            ModelView mv;
            try (FlowModel m = opener.open(ref)) {
                Map<String, String> unavailable = new LinkedHashMap<>();
                for (SamplerRegistry.Entry e : SamplerRegistry.all()) {
                    String why = e.unavailableOn(m);
                    if (why != null) {
                        unavailable.put(e.id(), why);
                    }
                }
                mv = new ModelView(ref, m.shape().clone(), m.as(KnownDistribution.class).orElse(null),
                        List.copyOf(m.classNames()), m.hash(), null, unavailable);
            } catch (RuntimeException e) {
                mv = new ModelView(ref, null, null, List.of(), null,
                        e instanceof FlowbenchException fe ? fe.oneLine() : e.toString(), Map.of());
            }
            ModelView result = mv;
            ui.execute(() -> {
                if (ref.equals(modelRef.get())) {
                    // FID reference follows the model kind: exact moments for analytic, the package default for images
                    String rs = referenceStats.get();
                    quietly(() -> {
                        if (result.mixture() != null && Metrics.DEFAULT.equals(rs)) {
                            referenceStats.set("exact");
                        } else if (result.isImage() && (rs == null || rs.isBlank() || rs.equals("exact"))) {
                            referenceStats.set(Metrics.DEFAULT);
                        }
                    });
                    model.set(result);
                    String saved = modelHash;
                    modelHash = result.hash();
                    if (saved != null && result.hash() != null && !saved.equals(result.hash())) {
                        resultsFromAnotherModel.accept(ref, saved);
                    }
                    if (result.error() != null) {
                        status.accept(result.error());
                    }
                }
            });
        });
    }

    /**
     * Holds model loads (they queue) until {@link #releaseModelLoads}: the app opens the network model only after the
     * first frame is on screen, so loading PyTorch does not compete with building the window.
     */
    public void holdModelLoads() {
        if (modelGate.isDone()) {
            modelGate = new CompletableFuture<>();
        }
    }

    public void releaseModelLoads() {
        modelGate.complete(null);
    }

    public StringProperty modelRefProperty() { return modelRef; }
    public StringProperty promptProperty() { return prompt; }
    public IntegerProperty nProperty() { return n; }
    public IntegerProperty batchProperty() { return batch; }
    public LongProperty seedProperty() { return seed; }
    public ObjectProperty<SeedPolicy> seedPolicyProperty() { return seedPolicy; }
    public IntegerProperty previewEveryProperty() { return previewEvery; }
    public StringProperty referenceStatsProperty() { return referenceStats; }
    /** What the setup pane shows for the reference statistics. */
    public StringProperty referenceLabelProperty() { return referenceLabel; }
    public ObjectProperty<ModelView> modelProperty() { return model; }
    /** The compute device for the next run ("auto", "cpu", "gpu:N"), and the choices this machine offers. */
    public StringProperty deviceProperty() { return device; }
    public ObservableList<String> devices() { return devices; }

    /** The Device box's text for a choice: its label once the devices are probed, else the choice itself. */
    public String deviceLabel(String spec) {
        return spec == null ? "" : deviceLabels.getOrDefault(spec, spec);
    }
}
