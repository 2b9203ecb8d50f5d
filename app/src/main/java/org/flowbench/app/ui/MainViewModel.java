package org.flowbench.app.ui;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.flowbench.app.session.LaneStats;
import org.flowbench.app.session.Session;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.ModelResolver;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.samplers.SamplerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench's project: its lanes, name, file, dirty state, recent files and autosave, composed with the
 * {@link SetupViewModel} (model, prompt, N, batch, seed, reference, device) and the {@link RunViewModel} (runs,
 * recipes, re-runs). Views reach all three through it. Free of views, with injected executors: testable without a
 * toolkit and without waiting ({@link UiExecutor#DIRECT} and same-thread executors).
 */
public final class MainViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(MainViewModel.class);

    private final UiExecutor ui;
    private final Workspace workspace;
    private final Session.ModelOpener opener;
    /** Model loads, device probes, re-runs, saves: never on the FX thread (a same-thread executor in tests). */
    private final java.util.concurrent.Executor background;
    private final java.util.concurrent.atomic.AtomicReference<java.util.function.Supplier<Project>> pendingAutosave =
            new java.util.concurrent.atomic.AtomicReference<>();
    private boolean autosaveScheduled; // guarded by pendingAutosave
    private final ExecutorService ownBackground = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flowbench-ui-background");
        t.setDaemon(true);
        return t;
    });

    private final StringProperty projectName = new SimpleStringProperty("Untitled");
    private final ObservableList<LaneViewModel> lanes = FXCollections.observableArrayList();
    private final ObjectProperty<LaneViewModel> selectedLane = new SimpleObjectProperty<>();
    private final StringProperty statusText = new SimpleStringProperty("Ready");
    private final ObjectProperty<Path> projectFile = new SimpleObjectProperty<>();
    private final BooleanProperty dirty = new SimpleBooleanProperty(false);
    private final ObservableList<Path> recent = FXCollections.observableArrayList();
    private final SetupViewModel setup;
    private final RunViewModel runs;
    private List<LaneResult> lastResults = List.of();
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
        this.ui = ui;
        this.workspace = workspace;
        this.opener = opener;
        this.setup = new SetupViewModel(ui, background, opener, this::markDirty, statusText::set,
                this::markResultsFromAnotherModel);
        this.runs = new RunViewModel(ui, background, sessionExecutor, opener, setup, lanes, this::toProject,
                statusText, results -> {
                    lastResults = results;
                    dirty.set(true);
                    autosave();
                });
        lanes.addListener((ListChangeListener<LaneViewModel>) c -> markDirty());
        recent.setAll(workspace.recent());
        load(Project.analyticComparison()); // cheap; the app then loads Project.defaultComparison()
        dirty.set(false);
    }

    private void markDirty() {
        if (!loading) {
            dirty.set(true);
        }
    }

    // ---- model ------------------------------------------------------------------------------------------

    private static String fromAnotherModelNotice(String ref) {
        return "This project's results were made with another model than " + ref + " now is; run again to compare "
                + "on the current one";
    }

    private static String shortHash(String h) {
        return h == null ? "?" : h.substring(0, Math.min(12, h.length()));
    }

    /** The project's saved results were made with another version of its model: say so, in the lanes too. */
    private void markResultsFromAnotherModel(String ref, String savedHash) {
        String note = "results from another model (saved hash " + shortHash(savedHash)
                + "…, " + ref + " is now " + shortHash(setup.modelHash()) + "…)";
        for (LaneViewModel l : lanes) {
            if (!l.recordProperty().get().isEmpty() || !l.savedMetricsProperty().get().isEmpty()) {
                l.messageProperty().set(note);
            }
        }
        statusText.set(fromAnotherModelNotice(ref));
        resultsFromAnotherModel = true;
    }

    // ---- lanes -------------------------------------------------------------------------------------------

    /** Adds a lane with this sampler; null (and the reason in the status bar) if it cannot run on the model. */
    public LaneViewModel addLane(String samplerId) {
        SamplerRegistry.get(samplerId);
        ModelView m = setup.modelProperty().get();
        if (m != null && !m.offers(samplerId)) {
            statusText.set(m.unavailableSamplers().get(samplerId));
            return null;
        }
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
        return runs.run();
    }

    /** Stop: acknowledged at once; lanes end within one step and keep finished images. */
    public void stop() {
        runs.stop();
    }

    /** Called on the UI executor whenever a run ends (argument: stopped by the user). */
    public void onRunFinished(Consumer<Boolean> c) {
        runs.onRunFinished(c);
    }

    public Session session() {
        return runs.session();
    }

    /** The recipe of image {@code index} of a lane: the record of what ran, plus the index (JSON). */
    public String recipe(LaneViewModel lane, long index) {
        return runs.recipe(lane, index);
    }

    /** The seed the lanes' current images were drawn with (the policy may have moved the next one on). */
    public long lastRunSeed() {
        return runs.lastRunSeed();
    }

    /** Re-runs image {@code index} of a lane with what ran; the result arrives on the UI. */
    public void rerun(LaneViewModel lane, long index, Consumer<SampleBatch> done, Consumer<String> failed) {
        runs.rerun(lane, index, done, failed);
    }

    // ---- project -----------------------------------------------------------------------------------------

    public Project toProject() {
        return snapshot().get();
    }

    /**
     * What {@link #toProject()} reads from the view, captured on the FX thread as immutable references only (specs,
     * results, each lane's history list); the project itself, with its history maps, is built by whoever calls the
     * supplier, so that an autosave after every batch costs the FX thread almost nothing.
     */
    private java.util.function.Supplier<Project> snapshot() {
        List<LaneSpec> specs = new ArrayList<>();
        Map<String, List<LaneStats>> histories = new java.util.HashMap<>();
        for (LaneViewModel l : lanes) {
            specs.add(l.toSpec());
            histories.put(l.name(), List.copyOf(l.history()));
        }
        SetupViewModel u = setup;
        Project base = new Project(Project.SCHEMA_VERSION, projectName.get(), u.modelRefProperty().get(),
                u.modelHash(), u.promptProperty().get(), u.nProperty().get(), u.batchProperty().get(),
                u.seedProperty().get(), u.seedPolicyProperty().get(), u.previewEveryProperty().get(),
                u.referenceStatsProperty().get(), specs, List.of());
        List<LaneResult> results = lastResults;
        return () -> base.withResults(withHistories(results, histories));
    }

    /** The results with each lane's quality-vs-N history, so that the chart is saved with the project. */
    private static List<LaneResult> withHistories(List<LaneResult> results, Map<String, List<LaneStats>> histories) {
        List<LaneResult> out = new ArrayList<>();
        for (LaneResult r : results) {
            List<LaneStats> h = histories.get(r.lane());
            out.add(h == null || h.isEmpty() ? r : r.withHistory(LaneViewModel.historyPoints(h)));
        }
        return out;
    }

    public void load(Project p) {
        loading = true;
        try {
            projectName.set(p.name());
            setup.quietly(() -> {
                setup.expectHash(p.modelHash());
                setup.modelRefProperty().set(p.model());
                setup.promptProperty().set(p.prompt());
                setup.nProperty().set(p.n());
                setup.batchProperty().set(p.batch());
                setup.seedProperty().set(p.seed());
                setup.seedPolicyProperty().set(p.seedPolicy());
                setup.previewEveryProperty().set(p.previewEvery());
                setup.referenceStatsProperty().set(p.referenceStats());
            });
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
            // the same model reference may stay loaded: compare its hash with the one the results were made with
            setup.expectModel(p.model(), p.modelHash());
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

    /**
     * Recalls the recipe of a PNG, sampling manifest or metrics.json that Flowbench wrote as a new, unsaved project
     * (its model, prompt and seed, one lane per recipe). For the PNG of one image, re-running it and comparing the
     * pixels follows in the background ({@link #recallCheckProperty()}). On error returns the one-line message and
     * changes nothing.
     */
    public String recall(Path file) {
        List<org.flowbench.app.session.Recall.Recipe> recipes;
        Project p;
        try {
            recipes = org.flowbench.app.session.Recall.read(file);
            p = org.flowbench.app.session.Recall.toProject(recipes,
                    "Recalled " + file.getFileName().toString().replaceAll("\\.[^.]*$", ""));
        } catch (FlowbenchException e) {
            statusText.set(e.oneLine());
            return e.oneLine();
        }
        resultsFromAnotherModel = false;
        load(p);
        projectFile.set(null);
        dirty.set(true);
        String what = "Recalled " + file.getFileName() + " (" + recipes.size() + " lane" + (recipes.size() == 1 ? "" : "s")
                + ")";
        long generation = ++recalls;
        recallCheck.set("");
        recallChecking = false;
        if (recipes.size() == 1 && recipes.get(0).image() != null) {
            statusText.set(what + " · re-running image " + recipes.get(0).image() + " to check it…");
            recallChecking = true;
            background.execute(() -> {
                String msg;
                try {
                    msg = org.flowbench.app.session.Recall.check(file, opener).summary();
                } catch (RuntimeException e) {
                    msg = "not checked: " + (e instanceof FlowbenchException fe ? fe.oneLine() : e.toString());
                }
                String m = msg;
                ui.execute(() -> {
                    if (recalls == generation) {
                        recallChecking = false;
                        recallCheck.set(m);
                        statusText.set(what + ": " + m);
                    }
                });
            });
        } else {
            statusText.set(what + ": run it to compare");
        }
        return null;
    }

    /** The outcome of the last recall's re-run check ("" while none or while it runs). */
    public javafx.beans.property.ReadOnlyStringProperty recallCheckProperty() {
        return recallCheck;
    }

    /** Whether the last recall's re-run check is still running. */
    public boolean isRecallChecking() {
        return recallChecking;
    }

    private final StringProperty recallCheck = new SimpleStringProperty("");
    private long recalls;
    private boolean recallChecking;

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

    private void saveSamples(Path projectFile) {
        ModelView m = setup.modelProperty().get();
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
                                    s, k, m.shape(), runs.recipeOf(l, k));
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
        String ref = setup.modelRefProperty().get();
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

    /**
     * Writes the autosave copy in the background (the snapshot is taken now). Writes run one at a time and the newest
     * snapshot wins: two writes on a pool could otherwise finish out of order and leave an older project on disk
     * (a lane's interim "stopped" after its "done").
     */
    public void autosave() {
        pendingAutosave.set(snapshot());
        synchronized (pendingAutosave) {
            if (autosaveScheduled) {
                return;
            }
            autosaveScheduled = true;
        }
        background.execute(this::drainAutosaves);
    }

    private void drainAutosaves() {
        while (true) {
            java.util.function.Supplier<Project> p = pendingAutosave.getAndSet(null);
            if (p == null) {
                synchronized (pendingAutosave) {
                    if (pendingAutosave.get() == null) {
                        autosaveScheduled = false;
                        return;
                    }
                }
                continue;
            }
            try {
                workspace.autosave(p.get());
            } catch (RuntimeException e) {
                LOG.warn("autosave failed: {}", e.getMessage());
            }
        }
    }

    public Workspace workspace() {
        return workspace;
    }

    public void shutdown() {
        runs.stop();
        ownBackground.shutdownNow();
    }

    /** The setup (model, prompt, N, batch, seed, reference, device) and the runs, for views that need only those. */
    public SetupViewModel setup() { return setup; }
    public RunViewModel runs() { return runs; }

    public StringProperty deviceProperty() { return setup.deviceProperty(); }
    public ObservableList<String> devices() { return setup.devices(); }
    public StringProperty projectNameProperty() { return projectName; }
    public StringProperty modelRefProperty() { return setup.modelRefProperty(); }
    public StringProperty promptProperty() { return setup.promptProperty(); }
    public IntegerProperty nProperty() { return setup.nProperty(); }
    public IntegerProperty batchProperty() { return setup.batchProperty(); }
    public LongProperty seedProperty() { return setup.seedProperty(); }
    public ObjectProperty<SeedPolicy> seedPolicyProperty() { return setup.seedPolicyProperty(); }
    public StringProperty referenceStatsProperty() { return setup.referenceStatsProperty(); }
    public StringProperty referenceLabelProperty() { return setup.referenceLabelProperty(); }
    public ObjectProperty<ModelView> modelProperty() { return setup.modelProperty(); }
    public BooleanProperty runningProperty() { return runs.runningProperty(); }
    public ObservableList<LaneViewModel> lanes() { return lanes; }
    public ObjectProperty<LaneViewModel> selectedLaneProperty() { return selectedLane; }
    public StringProperty statusTextProperty() { return statusText; }
    public ObjectProperty<Path> projectFileProperty() { return projectFile; }
    public BooleanProperty dirtyProperty() { return dirty; }
    public ObservableList<Path> recent() { return recent; }

    public List<ModelResolver.ModelInfo> builtinModels() { return setup.builtinModels(); }
    public List<String> prompts() { return setup.prompts(); }
    public void useDefaultReference() { setup.useDefaultReference(); }
    public String useReference(Path file) { return setup.useReference(file); }
    public String useReference(Path file, String extractor) { return setup.useReference(file, extractor); }
    public void holdModelLoads() { setup.holdModelLoads(); }
    public void releaseModelLoads() { setup.releaseModelLoads(); }
}
