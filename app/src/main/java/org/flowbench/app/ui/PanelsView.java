package org.flowbench.app.ui;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.util.Duration;
import org.flowbench.app.session.LaneStats;
import org.flowbench.engine.device.Devices;
import org.flowbench.engine.device.GpuProbe;
import org.flowbench.engine.device.GpuTelemetry;
import org.flowbench.engine.device.Nvml;

/**
 * The live panels: quality (FID, KID or mode TV) against N per lane, latency per lane, quality against cost (ms per
 * image or NFE), and the device panel. Charts are rebuilt at most four times a second and only when a lane
 * changed: a latest-wins refresh on the FX thread.
 */
public final class PanelsView extends TabPane {
    private final MainViewModel vm;
    private final ChoiceBox<String> metric = new ChoiceBox<>();
    private final ChoiceBox<String> costAxis = new ChoiceBox<>();
    private final LineChart<Number, Number> qualityChart;
    private final BarChart<String, Number> latencyChart;
    private final LabelledScatterChart costChart;
    private final NumberAxis qX = ChartAxes.axis("N (finished images)");
    private final NumberAxis qY = ChartAxes.axis("FID");
    private final NumberAxis lY = ChartAxes.axis("ms / image");
    private final NumberAxis cX = ChartAxes.axis("ms / image");
    private final NumberAxis cY = ChartAxes.axis("FID");
    private final Label qNote = new Label();
    private final GridPane device = new GridPane();
    /** Points per series on the metric-vs-N chart (long runs are thinned evenly, the last point always kept). */
    static final int MAX_POINTS = 40;
    /** The last NVML reading (null until the first), taken off the FX thread while the Device tab is shown. */
    private volatile GpuProbe.Report gpu;
    private final java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean();
    /** One daemon thread reads NVML for every panel, instead of a thread per reading. */
    private static final java.util.concurrent.Executor GPU_READER = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "flowbench-gpu-telemetry");
                t.setDaemon(true);
                return t;
            });
    private boolean dirty = true;
    private final java.util.Map<LaneViewModel, XYChart.Series<Number, Number>> qSeries = new java.util.HashMap<>();
    private final java.util.Map<LaneViewModel, XYChart.Series<Number, Number>> cSeries = new java.util.HashMap<>();
    private final XYChart.Series<String, Number> p50 = new XYChart.Series<>();
    private final XYChart.Series<String, Number> p95 = new XYChart.Series<>();
    private List<LaneViewModel> shownLanes = List.of();
    private int refreshes;

    private final Tab inspectorTab;
    private final Tab qualityTab;
    private final Tab latencyTab;
    private final Tab costTab;
    private final Tab deviceTab;
    private final Tab traceTab;
    private final LineChart<Number, Number> rewardChart;
    private final LineChart<Number, Number> normChart;
    private final Label traceNote = new Label("No lane tracks a reward: ReNO lanes show their reward and ‖z‖ per "
            + "iteration here.");

    public PanelsView(MainViewModel vm, javafx.scene.Node inspector) {
        this.vm = vm;
        metric.getItems().addAll("FID", "KID", "mode TV");
        metric.setValue("FID");
        costAxis.getItems().addAll("ms / image", "NFE / image");
        for (String counter : LaneViewModel.COST_COUNTERS) {
            costAxis.getItems().add(counter + " / image");
        }
        costAxis.setValue("ms / image");
        qualityChart = new LineChart<>(qX, qY);
        qualityChart.setAnimated(false);
        qualityChart.setCreateSymbols(false);
        qualityChart.setId("quality-chart");
        CategoryAxis lX = new CategoryAxis();
        latencyChart = new BarChart<>(lX, lY);
        latencyChart.setAnimated(false);
        latencyChart.setId("latency-chart");
        costChart = new LabelledScatterChart(cX, cY);
        costChart.setAnimated(false);
        costChart.setId("cost-chart");
        qNote.getStyleClass().add("panel-placeholder");
        BorderPane q = new BorderPane(qualityChart);
        HBox qTop = new HBox(8, new Label("metric"), metric, qNote);
        qTop.setPadding(new Insets(4));
        qTop.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        q.setTop(qTop);
        BorderPane c = new BorderPane(costChart);
        HBox cTop = new HBox(8, new Label("cost"), costAxis, new Label("quality: same metric as the first tab"));
        cTop.setPadding(new Insets(4));
        cTop.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        c.setTop(cTop);
        device.setHgap(12);
        device.setVgap(4);
        device.setPadding(new Insets(10));
        javafx.scene.control.ScrollPane insp = new javafx.scene.control.ScrollPane(inspector);
        insp.setFitToWidth(true);
        inspectorTab = tab("Inspector", insp);
        qualityTab = tab("Quality vs N", q);
        latencyTab = tab("Latency", latencyChart);
        costTab = tab("Quality vs cost", c);
        deviceTab = tab("Device", device);
        rewardChart = traceChart("reward (batch mean)", "reward-chart");
        normChart = traceChart("‖z‖ (batch mean)", "norm-chart");
        traceNote.getStyleClass().add("panel-placeholder");
        javafx.scene.layout.HBox charts = new javafx.scene.layout.HBox(rewardChart, normChart);
        HBox.setHgrow(rewardChart, javafx.scene.layout.Priority.ALWAYS);
        HBox.setHgrow(normChart, javafx.scene.layout.Priority.ALWAYS);
        BorderPane tr = new BorderPane(charts);
        HBox trTop = new HBox(8, traceNote);
        trTop.setPadding(new Insets(4));
        tr.setTop(trTop);
        traceTab = tab("Reward trace", tr);
        getTabs().addAll(qualityTab, latencyTab, costTab, traceTab, inspectorTab, deviceTab);
        // a hidden chart is brought up to date when its tab is shown, not on every tick
        getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            refresh(false);
            if (b == deviceTab) {
                refreshDevice();
            }
        });
        setId("panels");
        metric.valueProperty().addListener((o, a, b) -> dirty = true);
        costAxis.valueProperty().addListener((o, a, b) -> dirty = true);
        vm.lanes().addListener((ListChangeListener<LaneViewModel>) ch -> {
            watch();
            dirty = true;
        });
        watch();
        Timeline t = new Timeline(new KeyFrame(Duration.millis(500), e -> tick()));
        t.setCycleCount(Timeline.INDEFINITE);
        t.play();
        refresh();
        refreshDevice();
        sampleGpu();
    }

    private static LineChart<Number, Number> traceChart(String yLabel, String id) {
        NumberAxis x = ChartAxes.axis("iteration");
        NumberAxis y = ChartAxes.axis(yLabel);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setId(id);
        return c;
    }

    /** Reward and ‖z‖ per iteration of the batch in flight, one series per lane that sends a trace. */
    private void refreshTraces() {
        List<XYChart.Series<Number, Number>> rs = new ArrayList<>();
        List<XYChart.Series<Number, Number>> ns = new ArrayList<>();
        boolean any = false;
        for (LaneViewModel l : vm.lanes()) {
            // a series for every lane (empty without a trace) keeps each lane's colour the same in every chart
            java.util.Map<String, double[]> t = l.traceProperty().get();
            any |= !t.isEmpty();
            rs.add(series(l.name(), t.get("reward")));
            ns.add(series(l.name(), t.get("noise-norm")));
        }
        traceNote.setVisible(!any);
        traceNote.setManaged(!any);
        rewardChart.getData().setAll(rs);
        normChart.getData().setAll(ns);
        ChartAxes.fitXY(rs, (NumberAxis) rewardChart.getXAxis(), (NumberAxis) rewardChart.getYAxis(), true, false, 0);
        ChartAxes.fitXY(ns, (NumberAxis) normChart.getXAxis(), (NumberAxis) normChart.getYAxis(), true, false, 0);
    }

    private static XYChart.Series<Number, Number> series(String name, double[] v) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        if (v != null) {
            for (int k = 0; k < v.length; k++) {
                if (Double.isFinite(v[k])) {
                    s.getData().add(new XYChart.Data<>(k, v[k]));
                }
            }
        }
        return s;
    }

    private static Tab tab(String name, javafx.scene.Node n) {
        Tab t = new Tab(name, n);
        t.setClosable(false);
        return t;
    }

    private void watch() {
        for (LaneViewModel l : vm.lanes()) {
            l.statsProperty().addListener((o, a, b) -> dirty = true);
            l.savedMetricsProperty().addListener((o, a, b) -> dirty = true);
            l.traceProperty().addListener((o, a, b) -> dirty = true);
        }
    }

    private void tick() {
        if (dirty) {
            dirty = false;
            refresh(false);
        }
        if (++refreshes % 2 == 0 && deviceTab.isSelected()) {
            sampleGpu();
            refreshDevice();
        }
    }

    private String metricKey() {
        return switch (metric.getValue()) {
            case "KID" -> "kid";
            case "mode TV" -> "modeTv";
            default -> "fid";
        };
    }

    /** Rebuilds every chart from the lanes' current figures. */
    public void refresh() {
        refresh(true);
    }

    /**
     * Rebuilds the charts from the lanes' figures: all of them, or only the one on the selected tab (chart layout
     * with axis auto-ranging is the FX thread's largest cost during a run, and hidden charts need none of it).
     */
    private void refresh(boolean all) {
        boolean doQuality = all || qualityTab.isSelected();
        boolean doLatency = all || latencyTab.isSelected();
        boolean doCost = all || costTab.isSelected();
        if (all || traceTab.isSelected()) {
            refreshTraces();
        }
        if (!doQuality && !doLatency && !doCost) {
            return;
        }
        String key = metricKey();
        boolean any = vm.lanes().stream().anyMatch(l -> Double.isFinite(l.metric(key)));
        boolean tv = vm.lanes().stream().anyMatch(l -> Double.isFinite(l.metric("modeTv")));
        boolean ran = vm.lanes().stream().anyMatch(l -> l.statsProperty().get().images() > 0
                || !l.savedMetricsProperty().get().isEmpty());
        boolean kid = vm.lanes().stream().anyMatch(l -> Double.isFinite(l.metric("kid")));
        // FID is not estimable below the feature dimension: a small run shows KID (or mode TV) instead of nothing
        String shown = any || !key.equals("fid") ? key : kid ? "kid" : tv ? "modeTv" : key;
        if (!shown.equals(key)) {
            qNote.setText("no FID yet (not estimable at this N); showing " + (shown.equals("kid") ? "KID" : "mode TV"));
        } else if (!any && ran) {
            qNote.setText("no " + metric.getValue() + " for this model (no reference statistics)");
        } else {
            qNote.setText("");
        }
        qY.setLabel(shown.equals("modeTv") ? "mode TV (½ Σ |f̂ − π|)" : shown.equals("kid") ? "KID" : metric.getValue());
        boolean lanesChanged = !shownLanes.equals(List.copyOf(vm.lanes()));
        if (lanesChanged) {
            qSeries.keySet().retainAll(vm.lanes());
            cSeries.keySet().retainAll(vm.lanes());
        }
        List<XYChart.Series<Number, Number>> qs = new ArrayList<>();
        List<XYChart.Series<Number, Number>> cs = new ArrayList<>();
        List<XYChart.Data<String, Number>> p50Data = new ArrayList<>();
        List<XYChart.Data<String, Number>> p95Data = new ArrayList<>();
        // percentiles only when every timed lane has enough batches for them; otherwise mean and slowest batch
        List<LaneViewModel> timed = vm.lanes().stream().filter(l -> Double.isFinite(l.metric("meanMs"))).toList();
        boolean havePercentiles = !timed.isEmpty() && timed.stream().allMatch(l -> Double.isFinite(l.metric("p50Ms")));
        p50.setName(havePercentiles ? "p50 ms/image" : "mean ms/image");
        p95.setName(havePercentiles ? "p95 ms/image" : "slowest batch, ms/image");
        double load = timed.stream().mapToDouble(l -> l.metric("loadPerCore")).filter(Double::isFinite).max()
                .orElse(Double.NaN);
        latencyChart.setTitle(Double.isFinite(load) ? String.format(java.util.Locale.ROOT,
                "machine load up to %.2f per core while timed%s", load, load > 1 ? " (other work shared the machine)"
                : "") : null);
        String costMetric = costMetricOf(costAxis.getValue());
        cX.setLabel(costAxis.getValue());
        cY.setLabel(qY.getLabel());
        for (LaneViewModel l : vm.lanes()) {
            XYChart.Series<Number, Number> s = qSeries.computeIfAbsent(l, k -> new XYChart.Series<>());
            s.setName(l.name());
            List<XYChart.Data<Number, Number>> pts = new ArrayList<>();
            List<LaneStats> h = l.history();
            int stride = Math.max(1, (h.size() + MAX_POINTS - 1) / MAX_POINTS);
            for (int i = 0; i < h.size(); i++) {
                if (i % stride != 0 && i != h.size() - 1) {
                    continue;
                }
                LaneStats st = h.get(i);
                double v = st.get(shown);
                if (Double.isFinite(v)) {
                    pts.add(new XYChart.Data<>(st.images(), v));
                }
            }
            if (doQuality && !samePoints(s.getData(), pts)) {
                s.getData().setAll(pts);
            }
            qs.add(s);
            double lat = havePercentiles ? l.metric("p50Ms") : l.metric("meanMs");
            if (Double.isFinite(lat)) {
                p50Data.add(new XYChart.Data<>(l.name(), lat));
            }
            double l95 = havePercentiles ? l.metric("p95Ms") : l.metric("maxMs");
            if (Double.isFinite(l95)) {
                p95Data.add(new XYChart.Data<>(l.name(), l95));
            }
            XYChart.Series<Number, Number> c = cSeries.computeIfAbsent(l, k -> new XYChart.Series<>());
            c.setName(l.name());
            double x = l.metric(costMetric);
            double y = l.metric(shown);
            if (!doCost) {
                cs.add(c);
                continue;
            }
            if (Double.isFinite(x) && Double.isFinite(y)) {
                if (c.getData().size() == 1) {
                    c.getData().get(0).setXValue(x);
                    c.getData().get(0).setYValue(y);
                } else {
                    c.getData().setAll(List.of(new XYChart.Data<>(x, y)));
                }
            } else if (!c.getData().isEmpty()) {
                c.getData().clear();
            }
            cs.add(c);
        }
        if (lanesChanged || qualityChart.getData().size() != qs.size()) {
            qualityChart.getData().setAll(qs);
            costChart.getData().setAll(cs);
            shownLanes = List.copyOf(vm.lanes());
        }
        if (doQuality) {
            ChartAxes.fitXY(qs, qX, qY, true, true, 0);
        }
        if (doCost) {
            ChartAxes.fitXY(cs, cX, cY, true, true, 0.1);
        }
        if (!doLatency) {
            return;
        }
        ChartAxes.fit(lY, 0, java.util.stream.Stream.concat(p50Data.stream(), p95Data.stream())
                .mapToDouble(d -> d.getYValue().doubleValue()).max().orElse(Double.NaN), true);
        updateBars(p50, p50Data);
        updateBars(p95, p95Data);
        List<XYChart.Series<String, Number>> ls = new ArrayList<>();
        ls.add(p50);
        if (!p95.getData().isEmpty()) {
            ls.add(p95);
        }
        if (!latencyChart.getData().equals(ls)) {
            latencyChart.getData().setAll(ls);
        }
    }

    private static boolean samePoints(List<XYChart.Data<Number, Number>> a, List<XYChart.Data<Number, Number>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getXValue().equals(b.get(i).getXValue()) || !a.get(i).getYValue().equals(b.get(i).getYValue())) {
                return false;
            }
        }
        return true;
    }

    /** Updates bar values in place when the categories are unchanged (no new nodes, no CSS pass). */
    private static void updateBars(XYChart.Series<String, Number> s, List<XYChart.Data<String, Number>> data) {
        javafx.collections.ObservableList<XYChart.Data<String, Number>> cur = s.getData();
        boolean same = cur.size() == data.size();
        for (int i = 0; same && i < cur.size(); i++) {
            same = cur.get(i).getXValue().equals(data.get(i).getXValue());
        }
        if (same) {
            for (int i = 0; i < cur.size(); i++) {
                if (!cur.get(i).getYValue().equals(data.get(i).getYValue())) {
                    cur.get(i).setYValue(data.get(i).getYValue());
                }
            }
        } else {
            cur.setAll(data);
        }
    }

    /** Reads NVML on a daemon thread (a driver call can take milliseconds); the next refresh shows it. */
    private void sampleGpu() {
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        GPU_READER.execute(() -> {
            try {
                gpu = GpuTelemetry.sample(900);
            } catch (RuntimeException | LinkageError e) {
                gpu = new GpuProbe.Report(List.of(), "probe unavailable: " + e.getClass().getSimpleName(), null, -1);
            } finally {
                sampling.set(false);
            }
        });
    }

    private void refreshDevice() {
        Runtime rt = Runtime.getRuntime();
        long used = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long max = rt.maxMemory() >> 20;
        var os = ManagementFactory.getOperatingSystemMXBean();
        device.getChildren().clear();
        int r = 0;
        String spec = Devices.currentSpec();
        String fallback = Devices.currentFallback();
        row(r++, "Compute device", Devices.currentIsGpu()
                ? Devices.currentName()
                        + " (networks; analytic models run in double precision on the JVM)"
                : "CPU (" + (fallback != null ? fallback.replaceFirst("^auto: using the CPU: ", "auto: ")
                        : "chosen: " + spec) + ")");
        row(r++, "CPU", os.getAvailableProcessors() + " cores, " + os.getArch() + ", load "
                + Fmt.num(os.getSystemLoadAverage(), 2));
        row(r++, "JVM heap", used + " MiB used of " + max + " MiB");
        GpuProbe.Report g = gpu;
        if (g == null) {
            row(r++, "GPU", "probing…");
        } else if (!g.hasGpu()) {
            row(r++, "GPU", g.summary());
        } else {
            row(r++, "Driver", g.driverVersion() + ", CUDA "
                    + Nvml.cudaVersionName(g.cudaDriverVersion()));
            for (var d : g.gpus()) {
                row(r++, "GPU " + d.index(), DeviceText.gpuLine(d));
            }
        }
        row(r++, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    }

    private void row(int r, String k, String v) {
        Label a = new Label(k);
        a.getStyleClass().add("metric-name");
        Label b = new Label(v);
        b.getStyleClass().add("metric-value");
        device.add(a, 0, r);
        device.add(b, 1, r);
    }

    public Tab qualityTab() {
        return qualityTab;
    }

    public Tab latencyTab() {
        return latencyTab;
    }

    public Tab costTab() {
        return costTab;
    }

    public Tab inspectorTab() {
        return inspectorTab;
    }

    public LineChart<Number, Number> qualityChart() {
        return qualityChart;
    }

    public BarChart<String, Number> latencyChart() {
        return latencyChart;
    }

    public LabelledScatterChart costChart() {
        return costChart;
    }

    public ChoiceBox<String> metricChoice() {
        return metric;
    }

    /** The lane metric behind a cost-axis choice ("ms / image", "NFE / image", "guided / image", ...). */
    static String costMetricOf(String choice) {
        String counter = choice.substring(0, choice.indexOf(" / "));
        return switch (counter) {
            case "ms" -> "meanMs";
            case "NFE" -> "nfePerImage";
            default -> LaneStats.costMetric(counter);
        };
    }
}
