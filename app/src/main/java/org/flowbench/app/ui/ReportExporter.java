package org.flowbench.app.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.flowbench.app.project.Project;
import org.flowbench.engine.io.AtomicFiles;

/** Exports an HTML report (lane images, metrics table, charts as PNG) and a CSV of all metrics. On the FX thread. */
public final class ReportExporter {
    private final MainViewModel vm;
    private final MainView view;

    public ReportExporter(MainViewModel vm, MainView view) {
        this.vm = vm;
        this.view = view;
    }

    /** Writes {@code dir/report.html}, {@code dir/metrics.csv} and PNGs under {@code dir/img}; returns the HTML path. */
    public Path export(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("img"));
        Project p = vm.toProject();
        List<String> keys = new ArrayList<>(List.of("images", "nfePerImage", "meanMs", "p50Ms", "p95Ms",
                "imagesPerSecond", "kid", "kidLow", "kidHigh", "fid", "fidLow", "fidHigh", "fidPred", "fidPredLow",
                "fidPredHigh", "modeTv"));
        TreeSet<String> extra = new TreeSet<>();
        for (LaneViewModel l : vm.lanes()) {
            extra.addAll(l.statsProperty().get().toMetrics().keySet());
            extra.addAll(l.savedMetricsProperty().get().keySet());
        }
        extra.removeAll(keys);
        keys.addAll(extra);
        StringBuilder csv = new StringBuilder("lane,sampler,params,status");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append('\n');
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Flowbench report: ")
                .append(esc(p.name())).append("</title><style>body{font-family:sans-serif;margin:24px;color:#1d2228}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:4px 8px;text-align:right}"
                        + "th{background:#eef1f5}td:first-child,th:first-child{text-align:left}"
                        + ".lanes{display:flex;gap:12px;flex-wrap:wrap}.lanes figure{margin:0}</style></head><body>");
        html.append("<h1>").append(esc(p.name())).append("</h1><p>Model <code>").append(esc(p.model()))
                .append("</code>").append(p.modelHash() == null ? "" : " (sha256 " + esc(p.modelHash().substring(0,
                        Math.min(12, p.modelHash().length()))) + "…)")
                .append(", prompt “").append(esc(p.prompt())).append("”, N = ").append(p.n()).append(", seed ")
                .append(vm.lastRunSeed()).append(". Figures not measured are shown as —.</p>");
        html.append("<h2>Metrics</h2><table><tr><th>lane</th><th>sampler</th><th>status</th>");
        keys.forEach(k -> html.append("<th>").append(esc(k)).append("</th>"));
        html.append("</tr>");
        html.append("<h2>Samples</h2>");
        StringBuilder figs = new StringBuilder("<div class=\"lanes\">");
        int i = 0;
        for (LaneViewModel l : vm.lanes()) {
            i++;
            html.append("<tr><td>").append(esc(l.name())).append("</td><td>").append(esc(l.toSpec().summary()))
                    .append("</td><td>").append(l.statusProperty().get().name().toLowerCase(Locale.ROOT)).append("</td>");
            csv.append(cell(l.name())).append(',').append(cell(l.samplerProperty().get())).append(',')
                    .append(cell(l.toSpec().params().toString())).append(',')
                    .append(l.statusProperty().get().name().toLowerCase(Locale.ROOT));
            for (String k : keys) {
                double v = l.metric(k);
                html.append("<td>").append(Fmt.num(v, k.equals("images") ? 0 : 4)).append("</td>");
                csv.append(',').append(Double.isFinite(v) ? Double.toString(v) : "");
            }
            html.append("</tr>");
            csv.append('\n');
            LaneColumn col = view.columns().get(l);
            if (col != null) {
                String name = String.format("img/lane-%02d.png", i);
                png(col, dir.resolve(name));
                figs.append("<figure><img src=\"").append(name).append("\" width=\"320\"><figcaption>")
                        .append(esc(l.name())).append("</figcaption></figure>");
            }
        }
        html.append("</table>");
        figs.append("</div>");
        html.append("<h2>Samples</h2>").append(figs);
        PanelsView panels = view.panels();
        chartPng(panels, panels.qualityTab(), panels.qualityChart(), dir.resolve("img/quality-vs-n.png"));
        chartPng(panels, panels.latencyTab(), panels.latencyChart(), dir.resolve("img/latency.png"));
        chartPng(panels, panels.costTab(), panels.costChart(), dir.resolve("img/quality-vs-cost.png"));
        html.append("<h2>Charts</h2><img src=\"img/quality-vs-n.png\"><img src=\"img/latency.png\">"
                + "<img src=\"img/quality-vs-cost.png\"><p><a href=\"metrics.csv\">All metrics as CSV</a></p>"
                + "</body></html>");
        String page = html.toString().replaceFirst("<h2>Samples</h2>", "");
        AtomicFiles.write(dir.resolve("metrics.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("report.html");
        AtomicFiles.write(out, page.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /**
     * A chart as the window would show it: charts on hidden tabs are neither refreshed nor laid out (they would
     * come out empty), so its tab is shown for the snapshot and the previous tab put back.
     */
    private static void chartPng(PanelsView panels, javafx.scene.control.Tab tab, Node chart, Path file)
            throws IOException {
        javafx.scene.control.Tab was = panels.getSelectionModel().getSelectedItem();
        panels.getSelectionModel().select(tab);
        panels.refresh();
        panels.applyCss();
        panels.layout();
        try {
            png(chart, file);
        } finally {
            panels.getSelectionModel().select(was);
        }
    }

    static void png(Node n, Path file) throws IOException {
        WritableImage img = n.snapshot(null, null);
        writePng(img, file);
    }

    static void writePng(WritableImage img, Path file) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
