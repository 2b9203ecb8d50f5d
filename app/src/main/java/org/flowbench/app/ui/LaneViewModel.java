package org.flowbench.app.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.session.LaneStats;
import org.flowbench.app.session.LaneStatus;
import org.flowbench.samplers.ParamSpec;
import org.flowbench.samplers.SamplerRegistry;

/**
 * One lane in the UI: what to run (name, sampler, parameters with validation) and what it measured (status,
 * progress, ETA, NFE, latency, images/s, FID with interval, mode TV, previews and final samples, FID-vs-N history).
 */
public final class LaneViewModel {

    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty sampler = new SimpleStringProperty();
    private final ObservableList<ParamViewModel> params = FXCollections.observableArrayList();
    private final ObjectProperty<LaneStatus> status = new SimpleObjectProperty<>(LaneStatus.WAITING);
    private final StringProperty message = new SimpleStringProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final DoubleProperty etaSeconds = new SimpleDoubleProperty(Double.NaN);
    private final ObjectProperty<LaneStats> stats = new SimpleObjectProperty<>(LaneStats.EMPTY);
    private final ObjectProperty<double[]> samples = new SimpleObjectProperty<>(new double[0]);
    private final ObjectProperty<double[]> preview = new SimpleObjectProperty<>();
    private final LongProperty previewStep = new SimpleLongProperty(-1);
    private final ObservableList<LaneStats> history = FXCollections.observableArrayList();
    private final ObjectProperty<Map<String, Double>> savedMetrics = new SimpleObjectProperty<>(Map.of());
    /** The record of what ran in this lane (from the session or the saved project); empty before a run. */
    private final ObjectProperty<Map<String, Object>> record = new SimpleObjectProperty<>(Map.of());
    /** The lane's own model (null: the project's). */
    private final StringProperty model = new SimpleStringProperty();
    /** Per-step means of the chunk in flight (ReNO: "reward", "noise-norm" by iteration); empty for other methods. */
    private final ObjectProperty<Map<String, double[]>> trace = new SimpleObjectProperty<>(Map.of());
    /** The initial images of the shown samples (ReNO's k = 0 images), empty for other methods. */
    private final ObjectProperty<double[]> initial = new SimpleObjectProperty<>(new double[0]);
    /** The A/B wipe: the share of each tile, from the left, that shows the initial image (0 = the result only). */
    private final DoubleProperty wipe = new SimpleDoubleProperty(0);

    public LaneViewModel(LaneSpec spec) {
        name.set(spec.name());
        model.set(spec.model());
        setSampler(spec.sampler(), spec.params());
    }

    /** Switches the sampler, keeping values of parameters with the same name. */
    public void setSampler(String id, Map<String, String> values) {
        List<ParamSpec> specs = SamplerRegistry.get(id).params();
        Map<String, String> keep = new LinkedHashMap<>();
        for (ParamViewModel p : params) {
            keep.put(p.spec().name(), p.text());
        }
        keep.putAll(values);
        sampler.set(id);
        params.clear();
        for (ParamSpec s : specs) {
            params.add(new ParamViewModel(s, keep.get(s.name())));
        }
    }

    /** The lane's parameters (saving resolves the defaults in; see ProjectFiles.resolved). */
    public LaneSpec toSpec() {
        Map<String, String> p = new LinkedHashMap<>();
        for (ParamViewModel v : params) {
            if (!v.isDefault()) {
                p.put(v.spec().name(), v.text().trim());
            }
        }
        return new LaneSpec(name.get(), sampler.get(), p, model.get(), null);
    }

    public boolean isValid() {
        return params.stream().allMatch(ParamViewModel::isValid);
    }

    /** The first validation error, "lane: message", or null. */
    public String firstError() {
        for (ParamViewModel p : params) {
            if (!p.isValid()) {
                return name.get() + ": " + p.errorProperty().get();
            }
        }
        return null;
    }

    public ParamViewModel param(String paramName) {
        return params.stream().filter(p -> p.spec().name().equals(paramName)).findFirst().orElseThrow();
    }

    void resetResults() {
        status.set(LaneStatus.WAITING);
        message.set(null);
        progress.set(0);
        etaSeconds.set(Double.NaN);
        stats.set(LaneStats.EMPTY);
        samples.set(new double[0]);
        preview.set(null);
        previewStep.set(-1);
        history.clear();
        savedMetrics.set(Map.of());
        record.set(Map.of());
        trace.set(Map.of());
        initial.set(new double[0]);
    }

    void applyStats(LaneStats s) {
        LaneStats old = stats.get();
        if (s.images() < old.images() || status.get().finished() && s.images() == old.images()
                && s.quality().equals(old.quality())) {
            return;
        }
        stats.set(s);
    }

    /** Records a snapshot for the metric-vs-N curves (every batch, never coalesced away). */
    void addHistory(LaneStats s) {
        if (s.images() <= 0) {
            return;
        }
        int last = history.size() - 1;
        if (last >= 0 && history.get(last).images() > s.images()) {
            return;
        }
        if (last >= 0 && history.get(last).images() == s.images()) {
            history.set(last, s);
        } else {
            history.add(s);
        }
    }

    void applyResult(LaneResult r) {
        status.set(switch (r.status()) {
            case "done" -> LaneStatus.DONE;
            case "stopped" -> LaneStatus.STOPPED;
            case "failed" -> LaneStatus.FAILED;
            default -> LaneStatus.WAITING;
        });
        message.set(r.message());
        savedMetrics.set(r.metrics());
        record.set(r.record());
        progress.set(r.status().equals("done") ? 1 : 0);
        history.clear();
        for (Map<String, Double> h : r.history()) {
            Double n = h.get("images");
            if (n != null && n > 0) {
                Map<String, Double> q = new java.util.LinkedHashMap<>(h);
                q.remove("images");
                history.add(new LaneStats(n.longValue(), Double.NaN, 0, q, Map.of(), new double[0], 0, Map.of()));
            }
        }
    }

    /** The quality-vs-N history as saved with a project (at most {@value #SAVED_POINTS} points, the last kept). */
    static java.util.List<Map<String, Double>> historyPoints(java.util.List<LaneStats> history) {
        java.util.List<Map<String, Double>> out = new java.util.ArrayList<>();
        int stride = Math.max(1, (history.size() + SAVED_POINTS - 1) / SAVED_POINTS);
        for (int i = 0; i < history.size(); i++) {
            if (i % stride != 0 && i != history.size() - 1) {
                continue;
            }
            LaneStats st = history.get(i);
            Map<String, Double> point = new java.util.LinkedHashMap<>();
            point.put("images", (double) st.images());
            for (String k : LaneResult.HISTORY_METRICS) {
                double v = st.get(k);
                if (Double.isFinite(v)) {
                    point.put(k, v);
                }
            }
            if (point.size() > 1) {
                out.add(point);
            }
        }
        return out;
    }

    static final int SAVED_POINTS = 200;

    /** The cost counters a lane header and the quality-vs-cost axis offer besides the NFE, in this order. */
    public static final java.util.List<String> COST_COUNTERS = java.util.List.of(
            org.flowbench.engine.run.CostLedger.GUIDED, org.flowbench.engine.run.CostLedger.BACKWARD,
            org.flowbench.engine.run.CostLedger.BACKBONE, org.flowbench.engine.run.CostLedger.HEAD,
            org.flowbench.engine.run.CostLedger.PARTICLES, org.flowbench.engine.run.CostLedger.REWARD);

    /** A metric from the live stats, else from the saved result; NaN when absent. */
    public double metric(String key) {
        LaneStats s = stats.get();
        double v = switch (key) {
            case "images" -> s.images() > 0 ? s.images() : Double.NaN;
            case "nfePerImage" -> s.nfePerImage();
            case "imagesPerSecond" -> s.imagesPerSecond();
            default -> s.get(key);
        };
        if (!Double.isFinite(v)) {
            Double saved = savedMetrics.get().get(key);
            v = saved == null ? Double.NaN : saved;
        }
        return v;
    }

    public StringProperty nameProperty() { return name; }
    public StringProperty samplerProperty() { return sampler; }
    public ObservableList<ParamViewModel> params() { return params; }
    public ObjectProperty<LaneStatus> statusProperty() { return status; }
    public StringProperty messageProperty() { return message; }
    public DoubleProperty progressProperty() { return progress; }
    public DoubleProperty etaSecondsProperty() { return etaSeconds; }
    public ObjectProperty<LaneStats> statsProperty() { return stats; }
    public ObjectProperty<double[]> samplesProperty() { return samples; }
    public ObjectProperty<double[]> previewProperty() { return preview; }
    public LongProperty previewStepProperty() { return previewStep; }
    /** Stats snapshots by number of finished images, for metric-vs-N charts. */
    public ObservableList<LaneStats> history() { return history; }
    public ObjectProperty<Map<String, Double>> savedMetricsProperty() { return savedMetrics; }
    public ObjectProperty<Map<String, Object>> recordProperty() { return record; }
    public StringProperty modelProperty() { return model; }
    public ObjectProperty<Map<String, double[]>> traceProperty() { return trace; }
    public ObjectProperty<double[]> initialProperty() { return initial; }
    public DoubleProperty wipeProperty() { return wipe; }
    public String name() { return name.get(); }
}
