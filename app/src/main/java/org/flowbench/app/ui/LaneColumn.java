package org.flowbench.app.ui;

import java.util.function.BiConsumer;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.flowbench.app.session.LaneStats;
import org.flowbench.app.session.LaneStatus;
import org.flowbench.engine.run.CostLedger;

/** One lane's column: header (name, status, progress + ETA, NFE, latency, images/s, FID ± interval, KID, mode TV) and samples. */
public final class LaneColumn extends VBox {
    static final Color[] PALETTE = {Color.web("#2f6fd6"), Color.web("#d1495b"), Color.web("#2e9d57"),
        Color.web("#8f56c9"), Color.web("#e08a1e"), Color.web("#1a9aa8"), Color.web("#7a6a55"), Color.web("#c2419b")};

    private final LaneViewModel lane;
    private final SampleCanvas canvas;
    private final Label status = new Label();
    private final Label message = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label eta = new Label();
    private final Label nfe = value();
    private final Label latency = value();
    private final Label ips = value();
    private final Label fid = value();
    private final Label kid = value();
    private final Label predicted = value();
    private final Tooltip predictedTip = new Tooltip();
    private final Label rank = new Label();
    private final Label stale = new Label();
    private final MainViewModel vm;
    private final Label fidName = new Label("FID");
    private final Label kidName = new Label("KID");
    private final Label latencyName = new Label("ms / image");
    private final Tooltip latencyTip = new Tooltip();
    private final Label modes = value();
    private final Label images = value();
    private final Label cost = value();

    public LaneColumn(LaneViewModel lane, int colorIndex, MainViewModel vm, BiConsumer<LaneViewModel, Long> onPick) {
        this.lane = lane;
        this.vm = vm;
        getStyleClass().add("lane-column");
        setId("lane-" + colorIndex);
        canvas = new SampleCanvas(236);
        canvas.setColor(PALETTE[colorIndex % PALETTE.length]);
        Label title = new Label();
        title.textProperty().bind(lane.nameProperty());
        title.getStyleClass().add("lane-title");
        Region swatch = new Region();
        swatch.setMinSize(10, 10);
        swatch.setMaxSize(10, 10);
        swatch.setStyle("-fx-background-radius: 5; -fx-background-color: "
                + toHex(PALETTE[colorIndex % PALETTE.length]) + ";");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        rank.getStyleClass().add("rank-badge");
        rank.setId("rank");
        rank.managedProperty().bind(rank.textProperty().isNotEmpty());
        // in a narrow column the title gives way (ellipsis, full name in its tooltip), the badges never do
        rank.setMinWidth(Region.USE_PREF_SIZE);
        status.setMinWidth(Region.USE_PREF_SIZE);
        title.setMinWidth(0);
        javafx.scene.control.Tooltip titleTip = new javafx.scene.control.Tooltip();
        titleTip.textProperty().bind(lane.nameProperty());
        title.setTooltip(titleTip);
        HBox top = new HBox(6, swatch, title, grow, rank, status);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        Label sub = new Label(subtitle(lane));
        sub.getStyleClass().add("lane-subtitle");
        javafx.scene.control.Tooltip subTip = new javafx.scene.control.Tooltip();
        subTip.textProperty().bind(sub.textProperty()); // the whole line when the column cuts it
        sub.setTooltip(subTip);
        lane.samplerProperty().addListener((o, a, b) -> sub.setText(subtitle(lane)));
        lane.statusProperty().addListener((o, a, b) -> sub.setText(subtitle(lane)));
        lane.modelProperty().addListener((o, a, b) -> sub.setText(subtitle(lane)));
        lane.recordProperty().addListener((o, a, b) -> sub.setText(subtitle(lane)));
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        HBox prog = new HBox(6, progress, eta);
        prog.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        eta.getStyleClass().add("metric-name");
        eta.setMinWidth(70);
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(1);
        addRow(grid, 0, "images", images, "NFE", nfe);
        addRow(grid, 1, "img/s", ips, "mode TV", modes);
        // the rows of one long value in a grid of their own: their names do not widen the two-pair rows above
        GridPane wide = new GridPane();
        wide.setHgap(8);
        wide.setVgap(1);
        addWide(wide, 0, latencyName, latency);
        addWide(wide, 1, kidName, kid);
        addWide(wide, 2, fidName, fid);
        addWide(wide, 3, new Label("FID@10k"), predicted);
        String intervals = "values in brackets: 95 % interval (docs/metrics.md)";
        kidName.setTooltip(new Tooltip("KID, unbiased at every N; " + intervals));
        fidName.setTooltip(new Tooltip("FID at this N (biased upwards at small N); " + intervals));
        addWide(wide, 4, new Label("cost / img"), cost);
        kid.setId("kid");
        fid.setId("fid");
        predicted.setId("fid-predicted");
        noteLine(message, "lane-message");
        // the A/B wipe between each image's initial version and the result, for methods that have one (ReNO)
        javafx.scene.control.Slider wipe = new javafx.scene.control.Slider(0, 1, lane.wipeProperty().get());
        wipe.setId("wipe");
        wipe.valueProperty().bindBidirectional(lane.wipeProperty());
        Label before = new Label("initial");
        Label after = new Label("result");
        before.getStyleClass().add("metric-name");
        after.getStyleClass().add("metric-name");
        HBox.setHgrow(wipe, Priority.ALWAYS);
        HBox wipeRow = new HBox(6, before, wipe, after);
        wipeRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        javafx.scene.control.Tooltip.install(wipe, new javafx.scene.control.Tooltip(
                "Drag to wipe between each image's initial version (left) and the result (right)"));
        wipeRow.managedProperty().bind(wipeRow.visibleProperty());
        wipeRow.setVisible(lane.initialProperty().get().length > 0);
        lane.initialProperty().addListener((o, a, b) -> {
            wipeRow.setVisible(b != null && b.length > 0);
            canvas.setWipe(b, lane.wipeProperty().get());
        });
        lane.wipeProperty().addListener((o, a, b) -> canvas.setWipe(lane.initialProperty().get(), b.doubleValue()));
        stale.setId("stale");
        noteLine(stale, "lane-stale");
        vm.seedProperty().addListener((o, a, b) -> refreshHeader());
        vm.nProperty().addListener((o, a, b) -> refreshHeader());
        vm.promptProperty().addListener((o, a, b) -> refreshHeader());
        lane.recordProperty().addListener((o, a, b) -> refreshHeader());
        // the header follows parameter edits at once (and says when they make the results stale)
        javafx.beans.value.ChangeListener<String> edited = (o, a, b) -> {
            refreshHeader();
            sub.setText(subtitle(lane));
        };
        lane.params().forEach(p -> p.textProperty().addListener(edited));
        lane.params().addListener((javafx.collections.ListChangeListener<ParamViewModel>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(p -> p.textProperty().addListener(edited));
                c.getRemoved().forEach(p -> p.textProperty().removeListener(edited));
            }
        });
        getChildren().addAll(top, sub, prog, grid, wide, stale, message, canvas, wipeRow);
        setPadding(new Insets(8));
        fitWidth(MAX_WIDTH);
        lane.statusProperty().addListener((o, a, b) -> refreshHeader());
        lane.statsProperty().addListener((o, a, b) -> refreshHeader());
        lane.savedMetricsProperty().addListener((o, a, b) -> refreshHeader());
        lane.messageProperty().addListener((o, a, b) -> refreshHeader());
        lane.progressProperty().addListener((o, a, b) -> {
            // a visible change only: 0.5 % steps
            if (Math.abs(b.doubleValue() - progress.getProgress()) >= 0.005 || b.doubleValue() >= 1) {
                progress.setProgress(b.doubleValue());
            }
        });
        // the lane's share done; the run's one ETA is in the status bar (lanes take turns, so a lane's own
        // remaining compute is not the time until it is done)
        lane.progressProperty().addListener((o, a, b) -> {
            double v = b.doubleValue();
            String t = v > 0 && v < 1 ? String.format(java.util.Locale.ROOT, "%.0f %%", 100 * v) : "";
            if (!t.equals(eta.getText())) {
                eta.setText(t);
            }
        });
        lane.samplesProperty().addListener((o, a, b) -> canvas.setData(b, lane.previewProperty().get()));
        lane.previewProperty().addListener((o, a, b) -> canvas.setData(lane.samplesProperty().get(), b));
        canvas.setModel(vm.modelProperty().get());
        canvas.setData(lane.samplesProperty().get(), lane.previewProperty().get());
        vm.modelProperty().addListener((o, a, b) -> canvas.setModel(b));
        canvas.setOnMouseClicked(e -> {
            long i = canvas.sampleAt(e.getX(), e.getY());
            if (i >= 0) {
                onPick.accept(lane, i);
            }
        });
        progress.setProgress(lane.progressProperty().get());
        refreshHeader();
    }

    /** "euler · steps=8" plus any other non-default parameters. */
    static String subtitle(LaneViewModel l) {
        StringBuilder sb = new StringBuilder(l.samplerProperty().get());
        var spec = l.toSpec();
        boolean hasSteps = l.params().stream().anyMatch(p -> p.spec().name().equals("steps"));
        if (hasSteps && !spec.params().containsKey("steps")) {
            sb.append(" steps=").append(l.param("steps").text());
        }
        spec.params().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        if (spec.model() != null) {
            sb.append(" · on ").append(spec.model());
        }
        // a schedule chosen for the model (BOSS): the times the lane ran on, from its run record
        java.util.Map<String, Object> rec = l.recordProperty().get();
        if ("boss".equals(rec.get("schedule")) && rec.get("times") instanceof java.util.List<?> ts) {
            sb.append(" · times ").append(String.join(" ", ts.stream()
                    .map(t -> String.format(java.util.Locale.ROOT, "%.2f", ((Number) t).doubleValue())).toList()));
        }
        return sb.toString();
    }

    private static String toHex(Color c) {
        return String.format("#%02x%02x%02x", (int) (c.getRed() * 255), (int) (c.getGreen() * 255),
                (int) (c.getBlue() * 255));
    }

    /** A wrapped line of text that takes no room while empty. */
    private static void noteLine(Label l, String style) {
        l.getStyleClass().add(style);
        l.setWrapText(true);
        l.setMaxWidth(236);
        l.managedProperty().bind(l.textProperty().isNotEmpty());
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
    }

    private static Label value() {
        Label l = new Label("—");
        l.getStyleClass().add("metric-value");
        return l;
    }

    private static void addRow(GridPane g, int row, String n1, Label v1, String n2, Label v2) {
        Label a = new Label(n1);
        a.getStyleClass().add("metric-name");
        Label b = new Label(n2);
        b.getStyleClass().add("metric-name");
        a.setMinWidth(Region.USE_PREF_SIZE);
        b.setMinWidth(Region.USE_PREF_SIZE);
        g.add(a, 0, row);
        g.add(v1, 1, row);
        g.add(b, 2, row);
        g.add(v2, 3, row);
        v1.setMinWidth(Region.USE_PREF_SIZE);
        v2.setMinWidth(Region.USE_PREF_SIZE);
    }

    private static void addWide(GridPane g, int row, Label a, Label v) {
        a.getStyleClass().add("metric-name");
        a.setMinWidth(Region.USE_PREF_SIZE); // names are never cut to "…"
        // a long value (an estimate with its interval) wraps inside the column instead of running into the next one
        v.setWrapText(true);
        v.setMinWidth(0);
        g.add(a, 0, row);
        g.add(v, 1, row);
    }

    /** The cost ledger's counters other than network evaluations (shown as NFE), e.g. "guided 32 · particles 8". */
    private String costText() {
        StringBuilder sb = new StringBuilder();
        for (String counter : LaneViewModel.COST_COUNTERS) {
            double v = lane.metric(LaneStats.costMetric(counter));
            if (Double.isFinite(v) && v > 0) {
                sb.append(sb.length() == 0 ? "" : " · ").append(counter).append(' ').append(Fmt.num(v, 1));
            }
        }
        return sb.length() == 0 ? "—" : sb.toString();
    }

    private void refreshHeader() {
        LaneStatus s = lane.statusProperty().get();
        if (!s.name().equals(status.getText())) {
            status.setText(s.name());
            status.getStyleClass().setAll("label", "status", "status-" + s.name().toLowerCase(java.util.Locale.ROOT));
        }
        images.setText(Fmt.num(lane.metric("images"), 0));
        // an autoregressive model's cost is backbone and head evaluations (the cost row), not network evaluations
        boolean tokenModel = lane.metric("nfePerImage") == 0 && lane.metric(LaneStats.costMetric(CostLedger.BACKBONE)) > 0;
        nfe.setText(tokenModel ? "—" : Fmt.num(lane.metric("nfePerImage"), 1));
        double p50 = lane.metric("p50Ms");
        double mean = lane.metric("meanMs");
        double batches = lane.metric("latencyBatches");
        if (Double.isFinite(p50)) {
            // percentiles only from enough batches (images of one batch finish together)
            latencyName.setText("ms p50/95/99");
            latency.setText(Fmt.sig(p50, 3) + " / " + Fmt.sig(lane.metric("p95Ms"), 3) + " / "
                    + Fmt.sig(lane.metric("p99Ms"), 3));
        } else {
            boolean max = Double.isFinite(lane.metric("maxMs"));
            latencyName.setText(max ? "ms mean/max" : "ms / image");
            latency.setText(!Double.isFinite(mean) ? "—" : Fmt.sig(mean, 3)
                    + (max ? " / " + Fmt.sig(lane.metric("maxMs"), 3) : " mean"));
        }
        double load = lane.metric("loadPerCore");
        latencyTip.setText((Double.isFinite(batches) ? Fmt.num(batches, 0) + " timed batches after the first (cold) "
                + "one; percentiles from 20" : "") + (Double.isFinite(load) ? String.format(java.util.Locale.ROOT,
                "%nmachine load %.2f per core when measured%s", load, load > 1 ? ": other work shared the machine"
                : "") : "") + DeviceText.memoryLine(lane.metric("peakRssMiB"), lane.metric("peakDeviceMiB")));
        latency.setTooltip(latencyTip);
        double ipsV = lane.metric("imagesPerSecond");
        ips.setText(Double.isFinite(ipsV) && ipsV >= 100 ? Fmt.num(ipsV, 0) : Fmt.sig(ipsV, 2));
        double f = lane.metric("fid");
        double fidMinN = lane.metric("fidMinN");
        boolean notYet = !Double.isFinite(f) && Double.isFinite(fidMinN);
        fid.setText(notYet ? "n/a (N < " + Fmt.num(fidMinN, 0) + ")"
                : Fmt.compactInterval(f, lane.metric("fidLow"), lane.metric("fidHigh"), 3));
        fid.setTooltip(notYet ? NOT_ESTIMABLE : null);
        double k = lane.metric("kid");
        double kLo = lane.metric("kidLow");
        double kHi = lane.metric("kidHigh");
        // small KIDs in thousandths, as they are usually quoted
        double scale = Math.max(Math.abs(k), Math.max(Math.abs(kLo), Math.abs(kHi))) < 0.1 ? 1e3 : 1;
        kidName.setText(scale == 1 ? "KID" : "KID×10³");
        kid.setText(Fmt.compactInterval(scale * k, scale * kLo, scale * kHi, 3));
        double r2 = lane.metric("fidFitR2");
        predicted.setText(Fmt.compactInterval(lane.metric("fidPred"), lane.metric("fidPredLow"),
                lane.metric("fidPredHigh"), 3) + (Double.isFinite(r2) && r2 < 0.8 ? " poor fit" : ""));
        predictedTip.setText(String.format(java.util.Locale.ROOT,
                "FID predicted at N = 10 000 from a + b/N fitted to this run (R² %.3f); FID∞ %s", r2,
                Fmt.withInterval(lane.metric("fidInf"), lane.metric("fidInfLow"), lane.metric("fidInfHigh"), 3)));
        predicted.setTooltip(Double.isFinite(lane.metric("fidPred")) ? predictedTip : null);
        QualityRanking.Headline h = QualityRanking.headline(lane::metric);
        kidName.getStyleClass().remove("headline");
        fidName.getStyleClass().remove("headline");
        if (h != null) {
            (h.metric().equals("kid") ? kidName : fidName).getStyleClass().add("headline");
        }
        modes.setText(Fmt.num(lane.metric("modeTv"), 3));
        cost.setText(costText());
        String why = s == LaneStatus.RUNNING || s == LaneStatus.WAITING ? null : Staleness.reason(lane,
                vm.seedProperty().get(), vm.nProperty().get(), vm.promptProperty().get());
        stale.setText(why == null ? "" : "stale: made with " + why);
        String m = lane.messageProperty().get();
        String shown = m == null ? "" : m;
        if (!shown.equals(message.getText())) {
            message.setText(shown);
            message.setTooltip(s == LaneStatus.FAILED && m != null ? new Tooltip(m) : null);
        }
    }

    private static final Tooltip NOT_ESTIMABLE = new Tooltip("FID needs more samples than feature dimensions: below "
            + "that the sample covariance is singular and FID is dominated by its bias (docs/metrics.md)");

    /** The widest a lane column gets, and the narrowest before the lane strip scrolls instead. */
    static final double MAX_WIDTH = 256;
    static final double MIN_WIDTH = 200;

    /** Fits the column (and its image grid, which scales with it) to {@code width} pixels. */
    void fitWidth(double width) {
        double w = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.floor(width)));
        if (w == getMaxWidth()) {
            return;
        }
        setMaxWidth(w);
        setPrefWidth(w);
        setMinWidth(w);
        double inner = w - 20;
        canvas.setWidth(inner);
        canvas.setHeight(inner);
        canvas.invalidate();
        message.setMaxWidth(inner);
        stale.setMaxWidth(inner);
    }

    /** The lane's rank badge (from {@link QualityRanking}; empty for none). */
    void setRank(String text) {
        if (!text.equals(rank.getText())) {
            rank.setText(text);
            rank.setTooltip(text.isEmpty() ? null : new Tooltip((text.equals("not resolved")
                    ? "No other lane is certainly better or worse: the order is not resolved at this N"
                    : "1 + the number of lanes certainly better than this one")
                    + "\n(KID compared with each other lane image by image, on the same noises and prompts: a 95 %"
                    + " interval of the difference that excludes 0; docs/metrics.md)"));
        }
    }

    public SampleCanvas canvas() {
        return canvas;
    }

    public LaneViewModel lane() {
        return lane;
    }

    void setSelected(boolean sel) {
        if (sel) {
            if (!getStyleClass().contains("selected")) {
                getStyleClass().add("selected");
            }
        } else {
            getStyleClass().remove("selected");
        }
    }
}
