package org.flowbench.app.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.Project;
import org.flowbench.app.session.LatestWins;
import org.flowbench.app.session.Session;
import org.flowbench.app.session.SessionEvent;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.run.RunRecord;
import org.flowbench.engine.run.SampleBatch;

/**
 * Runs: start every lane of the project through a {@link Session} (its events reach the lanes through latest-wins
 * schedulers on the {@link UiExecutor}), stop, the record-based recipe of any image and its re-run. When a run ends
 * the owner receives the lanes' results (to keep them in the project) and the seed moves on by its policy.
 */
public final class RunViewModel {
    private final UiExecutor ui;
    private final Executor background;
    private final Executor sessions;
    private final Session.ModelOpener opener;
    private final SetupViewModel setup;
    private final ObservableList<LaneViewModel> lanes;
    private final Supplier<Project> project;
    private final StringProperty status;
    private final Consumer<List<LaneResult>> finished;
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final List<Consumer<Boolean>> finishedListeners = new ArrayList<>();
    private volatile Session session;

    /**
     * @param project the project to run, as it stands when a run starts
     * @param finished receives the lanes' results when a run ends, before the run-finished listeners
     */
    RunViewModel(UiExecutor ui, Executor background, Executor sessions, Session.ModelOpener opener,
                 SetupViewModel setup, ObservableList<LaneViewModel> lanes, Supplier<Project> project,
                 StringProperty status, Consumer<List<LaneResult>> finished) {
        this.ui = ui;
        this.background = background;
        this.sessions = sessions;
        this.opener = opener;
        this.setup = setup;
        this.lanes = lanes;
        this.project = project;
        this.status = status;
        this.finished = finished;
    }

    /** Starts a run of every lane; returns an error message (and starts nothing) when the setup is invalid. */
    public String run() {
        if (running.get()) {
            return "a run is in progress";
        }
        if (lanes.isEmpty()) {
            status.set("Add a lane first");
            return status.get();
        }
        for (LaneViewModel l : lanes) {
            String err = l.firstError();
            if (err != null) {
                status.set("Cannot run: " + err);
                return status.get();
            }
        }
        if (setup.nProperty().get() < 1 || setup.batchProperty().get() < 1) {
            status.set("Cannot run: N and batch must be at least 1");
            return status.get();
        }
        Project p = project.get();
        for (LaneViewModel l : lanes) {
            l.resetResults();
        }
        List<LaneViewModel> runLanes = List.copyOf(lanes);
        // lanes take turns on one worker: the run's time left is the sum of the lanes' own (one ETA for the run)
        double[] laneEtas = new double[runLanes.size()];
        String runningText = "Running " + runLanes.size() + " lanes on " + p.model() + " (seed " + p.seed() + ")";
        int k = runLanes.size();
        LatestWins[] progressLw = new LatestWins[k];
        LatestWins[] statsLw = new LatestWins[k];
        LatestWins[] previewLw = new LatestWins[k];
        LatestWins[] traceLw = new LatestWins[k];
        TraceBuffer[] traces = new TraceBuffer[k];
        for (int i = 0; i < k; i++) {
            progressLw[i] = new LatestWins(ui);
            statsLw[i] = new LatestWins(ui);
            previewLw[i] = new LatestWins(ui);
            traceLw[i] = new LatestWins(ui);
            traces[i] = new TraceBuffer();
        }
        Session[] holder = new Session[1];
        Session s = new Session(p, e -> {
            if (e instanceof SessionEvent.Progress pr) {
                LaneViewModel l = runLanes.get(pr.lane());
                progressLw[pr.lane()].submit(() -> {
                    l.progressProperty().set(pr.total() > 0 ? pr.done() / (double) pr.total() : 0);
                    l.etaSecondsProperty().set(pr.etaSeconds());
                    l.statusProperty().set(org.flowbench.app.session.LaneStatus.RUNNING);
                    laneEtas[pr.lane()] = Double.isFinite(pr.etaSeconds()) ? pr.etaSeconds() : 0;
                    if (running.get()) {
                        status.set(runningText + " · " + Fmt.eta(java.util.Arrays.stream(laneEtas).sum()));
                    }
                });
            } else if (e instanceof SessionEvent.Preview pv) {
                LaneViewModel l = runLanes.get(pv.lane());
                previewLw[pv.lane()].submit(() -> {
                    l.previewProperty().set(pv.x1Hat());
                    l.previewStepProperty().set(pv.firstImage() * 100000L + pv.step());
                });
            } else if (e instanceof SessionEvent.Trace tr) {
                LaneViewModel l = runLanes.get(tr.lane());
                Map<String, double[]> snapshot = traces[tr.lane()].add(tr);
                traceLw[tr.lane()].submit(() -> l.traceProperty().set(snapshot));
            } else if (e instanceof SessionEvent.BatchDone bd) {
                LaneViewModel l = runLanes.get(bd.lane());
                double[] kept = bd.batch() != null ? holder[0].keptSamples(bd.lane()) : null;
                double[] initial = bd.batch() != null ? holder[0].keptInitial(bd.lane()) : null;
                if (bd.batch() != null) {
                    // every finished batch goes into the project (and its autosave) at once: a crash later in the
                    // run loses none of the lanes' finished work
                    List<LaneResult> soFar = interim(holder[0].results());
                    ui.execute(() -> finished.accept(soFar));
                }
                ui.execute(() -> l.addHistory(bd.stats()));
                statsLw[bd.lane()].submit(() -> {
                    l.applyStats(bd.stats());
                    if (!bd.record().isEmpty()) {
                        l.recordProperty().set(bd.record());
                    }
                    if (kept != null) {
                        l.samplesProperty().set(kept);
                        l.initialProperty().set(initial);
                    }
                });
            } else if (e instanceof SessionEvent.LaneFinished lf) {
                LaneViewModel l = runLanes.get(lf.lane());
                double[] kept = holder[0].keptSamples(lf.lane());
                List<LaneResult> soFar = interim(holder[0].results());
                ui.execute(() -> finished.accept(soFar));
                double[] initial = holder[0].keptInitial(lf.lane());
                ui.execute(() -> {
                    l.statusProperty().set(lf.status());
                    l.messageProperty().set(lf.message());
                    l.applyStats(lf.stats());
                    l.addHistory(lf.stats());
                    if (!lf.record().isEmpty()) {
                        l.recordProperty().set(lf.record());
                    }
                    l.samplesProperty().set(kept);
                    l.initialProperty().set(initial);
                    l.previewProperty().set(null);
                    if (lf.status() == org.flowbench.app.session.LaneStatus.DONE) {
                        l.progressProperty().set(1);
                    }
                    l.etaSecondsProperty().set(Double.NaN);
                    laneEtas[lf.lane()] = 0;
                });
            } else if (e instanceof SessionEvent.Finished f) {
                List<LaneResult> results = holder[0].results();
                ui.execute(() -> finishRun(f, results));
            }
        }, opener, sessions).background();
        holder[0] = s;
        session = s;
        running.set(true);
        status.set(runningText);
        s.start();
        return null;
    }

    /**
     * The results of a run in progress as a crash would leave them: lanes still running count as stopped at their
     * finished images, lanes not started yet are left out.
     */
    static List<LaneResult> interim(List<LaneResult> results) {
        List<LaneResult> out = new java.util.ArrayList<>();
        for (LaneResult r : results) {
            if (r.status().equals("waiting")) {
                continue;
            }
            out.add(r.status().equals("running") ? new LaneResult(r.lane(), "stopped",
                    "interrupted after " + r.images() + " images", r.images(), r.metrics(), r.record()) : r);
        }
        return out;
    }

    private void finishRun(SessionEvent.Finished f, List<LaneResult> results) {
        running.set(false);
        long failed = results.stream().filter(r -> r.status().equals("failed")).count();
        status.set((f.stopped() ? "Stopped" : "Done") + String.format(" in %.1f s", f.wallSeconds())
                + (failed > 0 ? "; " + failed + " lane(s) failed" : ""));
        setup.seedProperty().set(setup.seedPolicyProperty().get().next(setup.seedProperty().get(),
                java.util.concurrent.ThreadLocalRandom.current()));
        finished.accept(results);
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
            status.set("Stopping…");
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
        try {
            return Json.MAPPER.writeValueAsString(recipeOf(lane, index));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recipe of image {@code index} of a lane: its run record with the image's index. */
    public Map<String, Object> recipeOf(LaneViewModel lane, long index) {
        Map<String, Object> rec = lane.recordProperty().get();
        return rec.isEmpty() ? new LinkedHashMap<>(Map.of("lane", lane.name(), "note", "this lane has not run yet"))
                : RunRecord.forImage(rec, index);
    }

    /** The seed the lanes' current images were drawn with (the policy may have moved the next one on). */
    public long lastRunSeed() {
        Session s = session;
        return s != null ? s.seedUsed() : setup.seedProperty().get();
    }

    /**
     * Re-runs image {@code index} of a lane in the background with what ran — the record's model, sampler, parameters
     * and seed, not the lane's current settings; the result arrives on the UI.
     */
    public void rerun(LaneViewModel lane, long index, Consumer<SampleBatch> done, Consumer<String> failed) {
        Map<String, Object> rec = lane.recordProperty().get();
        if (rec.isEmpty()) {
            failed.accept(lane.name() + " has not run yet");
            return;
        }
        background.execute(() -> {
            try {
                SampleBatch b = org.flowbench.app.session.Recall.rerun(rec, index, opener);
                ui.execute(() -> done.accept(b));
            } catch (RuntimeException e) {
                String msg = e instanceof FlowbenchException fe ? fe.oneLine() : e.toString();
                ui.execute(() -> failed.accept(msg));
            }
        });
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    /** A lane's per-step trace of the chunk in flight, gathered on the worker; snapshots go to the FX thread. */
    static final class TraceBuffer {
        private long chunk = -1;
        private final Map<String, List<Double>> values = new java.util.LinkedHashMap<>();

        Map<String, double[]> add(SessionEvent.Trace t) {
            if (t.firstImage() != chunk || t.step() == 0) {
                chunk = t.firstImage();
                values.clear();
            }
            t.means().forEach((key, v) -> {
                List<Double> l = values.computeIfAbsent(key, x -> new java.util.ArrayList<>());
                while (l.size() < t.step()) {
                    l.add(Double.NaN);
                }
                l.add(v);
            });
            Map<String, double[]> out = new java.util.LinkedHashMap<>();
            values.forEach((key, l) -> out.put(key, l.stream().mapToDouble(Double::doubleValue).toArray()));
            return out;
        }
    }
}
