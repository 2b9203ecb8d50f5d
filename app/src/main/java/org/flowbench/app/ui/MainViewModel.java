package org.flowbench.app.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.app.project.Workspace;
import org.flowbench.app.session.LatestWins;
import org.flowbench.app.session.Metrics;
import org.flowbench.app.session.Session;
import org.flowbench.app.session.SessionEvent;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.Conditioner;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.ModelResolver;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunRecord;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Configs;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench's state and commands, free of views: the setup (model, prompt, N, batch, seed and its policy), the
 * lanes, the run (through a {@link Session} whose events reach the lanes through latest-wins schedulers on the
 * {@link UiExecutor}), and the project file (new, open, save, save as, recent, autosave). Testable without a toolkit
 * with {@link UiExecutor#DIRECT}.
 */
public final class MainViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(MainViewModel.class);

    /** What the views need to know about the selected model. */
    public record ModelView(String ref, int[] shape, KnownDistribution mixture, List<String> classNames, String hash,
                            String error) {
        public boolean isImage() {
            return shape != null && shape.length == 3;
        }
    }

    private final UiExecutor ui;
    private final Workspace workspace;
    private final Session.ModelOpener opener;
    /** Model loads, device probes, re-runs, saves: never on the FX thread (a same-thread executor in tests). */
    private final java.util.concurrent.Executor background;
    /** Where sessions run (null: each session's own worker thread; a same-thread executor in tests). */
    private final java.util.concurrent.Executor sessions;
    private final ExecutorService ownBackground = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flowbench-ui-background");
        t.setDaemon(true);
        return t;
    });

    private final StringProperty projectName = new SimpleStringProperty("Untitled");
    private final StringProperty modelRef = new SimpleStringProperty();
    private final StringProperty prompt = new SimpleStringProperty("");
    private final IntegerProperty n = new SimpleIntegerProperty(2000);
    private final IntegerProperty batch = new SimpleIntegerProperty(250);
    private final LongProperty seed = new SimpleLongProperty(0);
    private final ObjectProperty<SeedPolicy> seedPolicy = new SimpleObjectProperty<>(SeedPolicy.FIXED);
    private final IntegerProperty previewEvery = new SimpleIntegerProperty(2);
    private final StringProperty referenceStats = new SimpleStringProperty("exact");
    private final StringProperty referenceLabel = new SimpleStringProperty("exact (analytic model)");
    private final ObservableList<LaneViewModel> lanes = FXCollections.observableArrayList();
    private final ObjectProperty<LaneViewModel> selectedLane = new SimpleObjectProperty<>();
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty statusText = new SimpleStringProperty("Ready");
    private final ObjectProperty<Path> projectFile = new SimpleObjectProperty<>();
    private final BooleanProperty dirty = new SimpleBooleanProperty(false);
    private final ObjectProperty<ModelView> model = new SimpleObjectProperty<>();
    private final StringProperty device = new SimpleStringProperty(Devices.currentSpec());
    private final ObservableList<String> devices = FXCollections.observableArrayList(Devices.currentSpec());
    private final ObservableList<Path> recent = FXCollections.observableArrayList();
    private final List<Consumer<Boolean>> finishedListeners = new ArrayList<>();
    private volatile Session session;
    private volatile java.util.concurrent.CompletableFuture<Void> modelGate =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    private List<LaneResult> lastResults = List.of();
    private String modelHash;
    /** Set when the open project's results turned out to come from another model than the one now loaded. */
    private boolean resultsFromAnotherModel;
    private boolean loading;

    public MainViewModel(UiExecutor ui, Workspace workspace) {
        this(ui, workspace, Models::open);
    }

    public MainViewModel(UiExecutor ui, Workspace workspace, Session.ModelOpener opener) {
        this(ui, workspace, opener, null, null);
    }

    /**
     * With injected executors for background work and for sessions (null: the view-model's own threads). Tests pass
     * same-thread executors and a same-thread {@link UiExecutor}: every load, run and save is over when the call
     * returns, so tests need no waiting (as JabRef's CurrentThreadTaskExecutor).
     */
    public MainViewModel(UiExecutor ui, Workspace workspace, Session.ModelOpener opener,
                         java.util.concurrent.Executor backgroundExecutor, java.util.concurrent.Executor sessionExecutor) {
        this.background = backgroundExecutor == null ? ownBackground : backgroundExecutor;
        this.sessions = sessionExecutor;
        this.ui = ui;
        this.workspace = workspace;
        this.opener = opener;
        modelRef.addListener((o, a, b) -> {
            model.set(null); // until the new model is open: no view keeps showing the previous one
            loadModel(b);
            markDirty();
        });
        for (var p : List.of(prompt, n, batch, seed, seedPolicy)) {
            p.addListener((o, a, b) -> markDirty());
        }
        lanes.addListener((ListChangeListener<LaneViewModel>) c -> markDirty());
        recent.setAll(workspace.recent());
        referenceStats.addListener((o, a, b) -> {
            updateReferenceLabel();
            markDirty();
        });
        modelRef.addListener((o, a, b) -> updateReferenceLabel());
        device.addListener((o, a, b) -> useDevice(a, b));
        // asking the engine for its GPUs loads its natives: off the FX thread
        background.execute(() -> {
            List<String> found = Devices.available();
            ui.execute(() -> {
                String chosen = device.get();
                devices.setAll(found);
                if (!devices.contains(chosen)) {
                    devices.add(chosen);
                }
            });
        });
        load(Project.analyticComparison()); // cheap; the app then loads Project.defaultComparison()
        dirty.set(false);
    }

    /** Models opened from now on (the next run) use the chosen device; an unusable one is refused in the status bar. */
    private void useDevice(String previous, String chosen) {
        if (chosen == null || chosen.equals(Devices.currentSpec())) {
            return;
        }
        background.execute(() -> {
            try {
                Devices.use(chosen);
                ui.execute(() -> statusText.set("Device: " + chosen + " (from the next run)"));
            } catch (FlowbenchException e) {
                ui.execute(() -> {
                    statusText.set(e.oneLine());
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
            Path p = Path.of(r);
            referenceLabel.set(p.getFileName() == null ? r : p.getFileName().toString());
        }
    }

    /** Uses the reference statistics the model package declares (project value "default"). */
    public void useDefaultReference() {
        referenceStats.set(Metrics.DEFAULT);
    }

    /** Uses this .stats file for domain FID; returns an error message (and changes nothing) if it is unreadable. */
    public String useReference(Path file) {
        try {
            org.flowbench.engine.metrics.ReferenceStats.read(file);
        } catch (FlowbenchException e) {
            statusText.set(e.oneLine());
            return e.oneLine();
        }
        referenceStats.set(file.toAbsolutePath().toString());
        return null;
    }

    private void markDirty() {
        if (!loading) {
            dirty.set(true);
        }
    }

    // ---- model -------------------------------------------------------------------------------------------

    /** Built-in models for the picker (analytic presets and registered packages). */
    public List<ModelResolver.ModelInfo> builtinModels() {
        return Models.builtins();
    }

    private void loadModel(String ref) {
        if (ref == null || ref.isBlank()) {
            return;
        }
        java.util.concurrent.CompletableFuture<Void> gate = modelGate;
        background.execute(() -> {
            gate.join();
            ModelView mv;
            try (FlowModel m = opener.open(ref)) {
                mv = new ModelView(ref, m.shape().clone(), m.as(KnownDistribution.class).orElse(null),
                        List.copyOf(m.classNames()), m.hash(), null);
            } catch (RuntimeException e) {
                mv = new ModelView(ref, null, null, List.of(), null,
                        e instanceof FlowbenchException fe ? fe.oneLine() : e.toString());
            }
            ModelView result = mv;
            ui.execute(() -> {
                if (ref.equals(modelRef.get())) {
                    // FID reference follows the model kind: exact moments for analytic, the package default for images
                    String rs = referenceStats.get();
                    boolean wasLoading = loading;
                    loading = true;
                    if (result.mixture() != null && Metrics.DEFAULT.equals(rs)) {
                        referenceStats.set("exact");
                    } else if (result.isImage() && (rs == null || rs.isBlank() || rs.equals("exact"))) {
                        referenceStats.set(Metrics.DEFAULT);
                    }
                    loading = wasLoading;
                    model.set(result);
                    String saved = modelHash;
                    modelHash = result.hash();
                    if (saved != null && result.hash() != null && !saved.equals(result.hash())) {
                        markResultsFromAnotherModel(ref, saved);
                    }
                    if (result.error() != null) {
                        statusText.set(result.error());
                    }
                }
            });
        });
    }

    private static String fromAnotherModelNotice(String ref) {
        return "This project's results were made with another model than " + ref + " now is; run again to compare "
                + "on the current one";
    }

    /** The project's saved results were made with another version of its model: say so, in the lanes too. */
    private void markResultsFromAnotherModel(String ref, String savedHash) {
        String note = "results from another model (saved hash " + savedHash.substring(0, Math.min(12, savedHash.length()))
                + "…, " + ref + " is now " + modelHash.substring(0, Math.min(12, modelHash.length())) + "…)";
        for (LaneViewModel l : lanes) {
            if (!l.recordProperty().get().isEmpty() || !l.savedMetricsProperty().get().isEmpty()) {
                l.messageProperty().set(note);
            }
        }
        statusText.set(fromAnotherModelNotice(ref));
        resultsFromAnotherModel = true;
    }

    /**
     * Holds model loads (they queue) until {@link #releaseModelLoads}: the app opens the network model only after the
     * first frame is on screen, so loading PyTorch does not compete with building the window.
     */
    public void holdModelLoads() {
        if (modelGate.isDone()) {
            modelGate = new java.util.concurrent.CompletableFuture<>();
        }
    }

    public void releaseModelLoads() {
        modelGate.complete(null);
    }

    /** Prompts the selected model understands (its class names); empty = unconditional only. */
    public List<String> prompts() {
        ModelView m = model.get();
        return m == null ? List.of() : m.classNames();
    }

    // ---- lanes -------------------------------------------------------------------------------------------

    public LaneViewModel addLane(String samplerId) {
        SamplerRegistry.get(samplerId);
        LaneViewModel l = lane(new LaneSpec(uniqueName(samplerId), samplerId, Map.of()));
        lanes.add(l);
        selectedLane.set(l);
        return l;
    }

    public LaneViewModel duplicate(LaneViewModel src) {
        LaneSpec s = src.toSpec();
        LaneViewModel l = lane(s.withName(uniqueName(s.name() + " copy")));
        lanes.add(lanes.indexOf(src) + 1, l);
        selectedLane.set(l);
        return l;
    }

    public void remove(LaneViewModel l) {
        int i = lanes.indexOf(l);
        lanes.remove(l);
        if (selectedLane.get() == l) {
            selectedLane.set(lanes.isEmpty() ? null : lanes.get(Math.min(i, lanes.size() - 1)));
        }
    }

    /** Moves a lane by {@code delta} places (−1 = left/up). */
    public void move(LaneViewModel l, int delta) {
        int i = lanes.indexOf(l);
        int j = Math.max(0, Math.min(lanes.size() - 1, i + delta));
        if (i < 0 || i == j) {
            return;
        }
        lanes.remove(i);
        lanes.add(j, l);
        selectedLane.set(l);
    }

    private LaneViewModel lane(LaneSpec spec) {
        LaneViewModel l = new LaneViewModel(spec);
        l.nameProperty().addListener((o, a, b) -> markDirty());
        l.samplerProperty().addListener((o, a, b) -> markDirty());
        l.modelProperty().addListener((o, a, b) -> markDirty());
        l.params().addListener((ListChangeListener<ParamViewModel>) c -> {
            markDirty();
            watch(l);
        });
        watch(l);
        return l;
    }

    private void watch(LaneViewModel l) {
        for (ParamViewModel p : l.params()) {
            p.textProperty().addListener((o, a, b) -> markDirty());
        }
    }

    private String uniqueName(String base) {
        String name = base;
        int k = 2;
        while (true) {
            String candidate = name;
            if (lanes.stream().noneMatch(l -> l.name().equals(candidate))) {
                return name;
            }
            name = base + " " + k++;
        }
    }

    // ---- runs --------------------------------------------------------------------------------------------

    /** Starts a run of every lane; returns an error message (and starts nothing) when the setup is invalid. */
    public String run() {
        if (running.get()) {
            return "a run is in progress";
        }
        if (lanes.isEmpty()) {
            statusText.set("Add a lane first");
            return statusText.get();
        }
        for (LaneViewModel l : lanes) {
            String err = l.firstError();
            if (err != null) {
                statusText.set("Cannot run: " + err);
                return statusText.get();
            }
        }
        if (n.get() < 1 || batch.get() < 1) {
            statusText.set("Cannot run: N and batch must be at least 1");
            return statusText.get();
        }
        Project p = toProject();
        for (LaneViewModel l : lanes) {
            l.resetResults();
        }
        List<LaneViewModel> runLanes = List.copyOf(lanes);
        int k = runLanes.size();
        LatestWins[] progressLw = new LatestWins[k];
        LatestWins[] statsLw = new LatestWins[k];
        LatestWins[] previewLw = new LatestWins[k];
        for (int i = 0; i < k; i++) {
            progressLw[i] = new LatestWins(ui);
            statsLw[i] = new LatestWins(ui);
            previewLw[i] = new LatestWins(ui);
        }
        Session[] holder = new Session[1];
        Session s = new Session(p, e -> {
            if (e instanceof SessionEvent.Progress pr) {
                LaneViewModel l = runLanes.get(pr.lane());
                progressLw[pr.lane()].submit(() -> {
                    l.progressProperty().set(pr.total() > 0 ? pr.done() / (double) pr.total() : 0);
                    l.etaSecondsProperty().set(pr.etaSeconds());
                    l.statusProperty().set(org.flowbench.app.session.LaneStatus.RUNNING);
                });
            } else if (e instanceof SessionEvent.Preview pv) {
                LaneViewModel l = runLanes.get(pv.lane());
                previewLw[pv.lane()].submit(() -> {
                    l.previewProperty().set(pv.x1Hat());
                    l.previewStepProperty().set(pv.firstImage() * 100000L + pv.step());
                });
            } else if (e instanceof SessionEvent.BatchDone bd) {
                LaneViewModel l = runLanes.get(bd.lane());
                double[] kept = bd.batch() != null ? holder[0].keptSamples(bd.lane()) : null;
                ui.execute(() -> l.addHistory(bd.stats()));
                statsLw[bd.lane()].submit(() -> {
                    l.applyStats(bd.stats());
                    if (!bd.record().isEmpty()) {
                        l.recordProperty().set(bd.record());
                    }
                    if (kept != null) {
                        l.samplesProperty().set(kept);
                    }
                });
            } else if (e instanceof SessionEvent.LaneFinished lf) {
                LaneViewModel l = runLanes.get(lf.lane());
                double[] kept = holder[0].keptSamples(lf.lane());
                ui.execute(() -> {
                    l.statusProperty().set(lf.status());
                    l.messageProperty().set(lf.message());
                    l.applyStats(lf.stats());
                    l.addHistory(lf.stats());
                    if (!lf.record().isEmpty()) {
                        l.recordProperty().set(lf.record());
                    }
                    l.samplesProperty().set(kept);
                    l.previewProperty().set(null);
                    if (lf.status() == org.flowbench.app.session.LaneStatus.DONE) {
                        l.progressProperty().set(1);
                    }
                    l.etaSecondsProperty().set(Double.NaN);
                });
            } else if (e instanceof SessionEvent.Finished f) {
                List<LaneResult> results = holder[0].results();
                ui.execute(() -> finishRun(f, results));
            }
        }, opener, sessions).background();
        holder[0] = s;
        session = s;
        running.set(true);
        statusText.set("Running " + k + " lanes on " + p.model() + " (seed " + p.seed() + ")");
        s.start();
        return null;
    }

    private void finishRun(SessionEvent.Finished f, List<LaneResult> results) {
        lastResults = results;
        running.set(false);
        long failed = results.stream().filter(r -> r.status().equals("failed")).count();
        statusText.set((f.stopped() ? "Stopped" : "Done") + String.format(" in %.1f s", f.wallSeconds())
                + (failed > 0 ? "; " + failed + " lane(s) failed" : ""));
        seed.set(seedPolicy.get().next(seed.get(), java.util.concurrent.ThreadLocalRandom.current()));
        dirty.set(true);
        autosave();
        for (Consumer<Boolean> c : List.copyOf(finishedListeners)) {
            c.accept(f.stopped());
        }
    }

    /** Called on the UI executor whenever a run ends (argument: stopped by the user). */
    public void onRunFinished(Consumer<Boolean> c) {
        finishedListeners.add(c);
    }

    /** Stop: acknowledged at once; lanes end within one step and keep finished images. */
    public void stop() {
        Session s = session;
        if (s != null && running.get()) {
            s.stop();
            statusText.set("Stopping…");
        }
    }

    public Session session() {
        return session;
    }

    // ---- inspector -----------------------------------------------------------------------------------------

    /**
     * The full recipe of image {@code index} of a lane, as JSON: the record of what ran, as the engine made it (never
     * rebuilt from the window's current settings, which may have changed since), plus the image's index.
     */
    public String recipe(LaneViewModel lane, long index) {
        Map<String, Object> rec = lane.recordProperty().get();
        Map<String, Object> r = rec.isEmpty()
                ? new LinkedHashMap<>(Map.of("lane", lane.name(), "note", "this lane has not run yet"))
                : RunRecord.forImage(rec, index);
        try {
            return Json.MAPPER.writeValueAsString(r);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed the lanes' current images were drawn with (the policy may have moved the next one on). */
    public long lastRunSeed() {
        Session s = session;
        return s != null ? s.seedUsed() : seed.get();
    }

    /** Re-runs image {@code index} of a lane with the same seed in the background; the result arrives on the UI. */
    public void rerun(LaneViewModel lane, long index, Consumer<SampleBatch> done, Consumer<String> failed) {
        LaneSpec spec = lane.toSpec();
        String ref = modelRef.get();
        String pr = prompt.get();
        long sd = lastRunSeed();
        background.execute(() -> {
            try (FlowModel m = opener.open(ref)) {
                Sampler s = SamplerRegistry.create(spec.sampler(), spec.params());
                int label = Conditioner.forModel(m).label(pr);
                SampleBatch b = s.sample(new SamplingRequest(sd, index, 1, 1, new int[] {label}, 0), m,
                        ProgressListener.NONE, CancellationToken.NONE);
                ui.execute(() -> done.accept(b));
            } catch (RuntimeException e) {
                String msg = e instanceof FlowbenchException fe ? fe.oneLine() : e.toString();
                ui.execute(() -> failed.accept(msg));
            }
        });
    }

    // ---- project -----------------------------------------------------------------------------------------

    public Project toProject() {
        List<LaneSpec> specs = new ArrayList<>();
        for (LaneViewModel l : lanes) {
            specs.add(l.toSpec());
        }
        return new Project(Project.SCHEMA_VERSION, projectName.get(), modelRef.get(), modelHash, prompt.get(), n.get(),
                batch.get(), seed.get(), seedPolicy.get(), previewEvery.get(), referenceStats.get(), specs,
                lastResults);
    }

    public void load(Project p) {
        loading = true;
        try {
            projectName.set(p.name());
            modelHash = p.modelHash();
            modelRef.set(p.model());
            prompt.set(p.prompt());
            n.set(p.n());
            batch.set(p.batch());
            seed.set(p.seed());
            seedPolicy.set(p.seedPolicy());
            previewEvery.set(p.previewEvery());
            referenceStats.set(p.referenceStats());
            List<LaneViewModel> ls = new ArrayList<>();
            for (LaneSpec s : p.lanes()) {
                LaneViewModel l = lane(s);
                LaneResult r = p.result(s.name());
                if (r != null) {
                    l.applyResult(r);
                }
                ls.add(l);
            }
            lanes.setAll(ls);
            selectedLane.set(ls.isEmpty() ? null : ls.get(0));
            lastResults = p.results();
            ModelView open = model.get();
            if (open != null && open.ref().equals(p.model()) && open.hash() != null) {
                // the same model reference stays loaded: compare its hash with the one the results were made with
                modelHash = open.hash();
                if (p.modelHash() != null && !p.modelHash().equals(open.hash())) {
                    markResultsFromAnotherModel(p.model(), p.modelHash());
                }
            }
        } finally {
            loading = false;
        }
        dirty.set(false);
    }

    public void newProject() {
        load(Project.defaultComparison());
        projectFile.set(null);
        statusText.set("New project");
    }

    /** Opens a project; on error returns the one-line message and changes nothing. */
    public String open(Path file) {
        Project p;
        try {
            p = ProjectFiles.read(file);
        } catch (FlowbenchException e) {
            statusText.set(e.oneLine());
            return e.oneLine();
        }
        resultsFromAnotherModel = false;
        load(p);
        loadSamples(file);
        projectFile.set(file);
        workspace.addRecent(file);
        recent.setAll(workspace.recent());
        statusText.set("Opened " + file.getFileName() + (resultsFromAnotherModel
                ? ". " + fromAnotherModelNotice(p.model()) : ""));
        return null;
    }

    /** Saves to the current file; false when there is none yet (ask for Save As). */
    public boolean save() {
        Path f = projectFile.get();
        if (f == null) {
            return false;
        }
        return saveAs(f) == null;
    }

    /** Saves to {@code file}; returns an error message or null. */
    public String saveAs(Path file) {
        Path f = file.toString().endsWith(ProjectFiles.EXTENSION) ? file
                : file.resolveSibling(file.getFileName() + ProjectFiles.EXTENSION);
        try {
            String base = f.getFileName().toString();
            if (projectName.get() == null || projectName.get().equals("Untitled")) {
                projectName.set(base.substring(0, base.length() - ProjectFiles.EXTENSION.length()));
            }
            ProjectFiles.write(toProject(), f);
            saveSamples(f);
        } catch (FlowbenchException e) {
            statusText.set(e.oneLine());
            return e.oneLine();
        }
        projectFile.set(f);
        dirty.set(false);
        workspace.addRecent(f);
        recent.setAll(workspace.recent());
        statusText.set("Saved " + f.getFileName());
        return null;
    }

    /** Writes the autosave copy in the background (the snapshot is taken now). */
    private void saveSamples(Path projectFile) {
        ModelView m = model.get();
        if (m == null || m.shape() == null) {
            return;
        }
        Path folder = org.flowbench.app.project.SampleStore.folderFor(projectFile);
        for (int i = 0; i < lanes.size(); i++) {
            double[] s = lanes.get(i).samplesProperty().get();
            if (s != null && s.length > 0) {
                try {
                    LaneViewModel l = lanes.get(i);
                    org.flowbench.app.project.SampleStore.write(folder, i, l.name(), m.shape(), s);
                    if (m.isImage() && (m.shape()[0] == 1 || m.shape()[0] == 3)) {
                        int d = m.shape()[0] * m.shape()[1] * m.shape()[2];
                        Path dirPng = folder.resolve(org.flowbench.app.project.SampleStore.slug(l.name(), i));
                        for (int k = 0; k < Math.min(64, s.length / d); k++) {
                            org.flowbench.app.project.ImagePngs.write(dirPng.resolve(String.format("%05d.png", k)),
                                    org.flowbench.app.project.ImagePngs.toImage(s, k, m.shape()), recipe(l, k));
                        }
                    }
                } catch (java.io.IOException e) {
                    LOG.warn("cannot save samples of lane {}: {}", lanes.get(i).name(), e.getMessage());
                }
            }
        }
    }

    /** Puts back samples saved next to a project once its model is known. */
    private void loadSamples(Path projectFile) {
        Path folder = org.flowbench.app.project.SampleStore.folderFor(projectFile);
        if (!java.nio.file.Files.isDirectory(folder)) {
            return;
        }
        List<LaneViewModel> ls = List.copyOf(lanes);
        String ref = modelRef.get();
        background.execute(() -> {
            int[] shape;
            try (FlowModel m = opener.open(ref)) {
                shape = m.shape().clone();
            } catch (RuntimeException e) {
                return;
            }
            for (int i = 0; i < ls.size(); i++) {
                double[] s = org.flowbench.app.project.SampleStore.read(folder, i, ls.get(i).name(), shape);
                if (s != null) {
                    LaneViewModel l = ls.get(i);
                    ui.execute(() -> l.samplesProperty().set(s));
                }
            }
        });
    }

    public void autosave() {
        Project p = toProject();
        background.execute(() -> workspace.autosave(p));
    }

    public Workspace workspace() {
        return workspace;
    }

    public void shutdown() {
        Session s = session;
        if (s != null) {
            s.stop();
        }
        ownBackground.shutdownNow();
    }

    /** The compute device for the next run ("auto", "cpu", "gpu:N"), and the choices this machine offers. */
    public StringProperty deviceProperty() { return device; }
    public ObservableList<String> devices() { return devices; }

    public StringProperty projectNameProperty() { return projectName; }
    public StringProperty modelRefProperty() { return modelRef; }
    public StringProperty promptProperty() { return prompt; }
    public IntegerProperty nProperty() { return n; }
    public IntegerProperty batchProperty() { return batch; }
    public LongProperty seedProperty() { return seed; }
    public ObjectProperty<SeedPolicy> seedPolicyProperty() { return seedPolicy; }
    public StringProperty referenceStatsProperty() { return referenceStats; }

    /** What the setup pane shows for the reference statistics. */
    public StringProperty referenceLabelProperty() { return referenceLabel; }
    public ObservableList<LaneViewModel> lanes() { return lanes; }
    public ObjectProperty<LaneViewModel> selectedLaneProperty() { return selectedLane; }
    public BooleanProperty runningProperty() { return running; }
    public StringProperty statusTextProperty() { return statusText; }
    public ObjectProperty<Path> projectFileProperty() { return projectFile; }
    public BooleanProperty dirtyProperty() { return dirty; }
    public ObjectProperty<ModelView> modelProperty() { return model; }
    public ObservableList<Path> recent() { return recent; }
}
