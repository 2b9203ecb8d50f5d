package org.flowbench.app.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.flowbench.engine.io.AtomicFiles;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.run.RunRecord;

/** The output folder of a headless run ({@code flowbench run}, and a sweep's merged results): metrics and samples. */
public final class RunOutput {
    private RunOutput() {}

    /**
     * Writes {@code metrics.json}, {@code metrics.csv}, the kept samples of each lane ({@code samples/NN-lane.npy},
     * and PNGs with their recipe for images) and, with {@code withProject}, the project with its results and its samples
     * (the workbench opens it with them); returns
     * what metrics.json holds.
     *
     * @param kept per lane, its kept samples (images of {@code shape}, one after the other)
     */
    public static Map<String, Object> write(Path out, String projectName, Project p, List<LaneResult> results,
            List<double[]> kept, int[] shape, boolean withProject) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("project", projectName);
        json.put("model", p.model());
        json.put("prompt", p.prompt());
        json.put("n", p.n());
        json.put("seed", p.seed());
        List<Map<String, Object>> lanes = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < results.size(); i++) {
            LaneSpec l = p.lanes().get(i);
            LaneResult r = results.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lane", l.name());
            m.put("sampler", l.sampler());
            m.put("params", l.params());
            m.put("status", r.status());
            m.put("message", r.message());
            m.put("metrics", r.metrics());
            m.put("record", r.record()); // what ran: recall reads it back
            lanes.add(m);
            names.addAll(r.metrics().keySet());
        }
        json.put("lanes", lanes);
        AtomicFiles.write(out.resolve("metrics.json"), Json.MAPPER.writeValueAsBytes(json));
        StringBuilder csv = new StringBuilder("lane,sampler,params,status");
        List<String> cols = new ArrayList<>(names);
        for (String c : cols) {
            csv.append(',').append(c);
        }
        csv.append('\n');
        for (int i = 0; i < results.size(); i++) {
            LaneSpec l = p.lanes().get(i);
            LaneResult r = results.get(i);
            csv.append(csvCell(l.name())).append(',').append(csvCell(l.sampler())).append(',')
                    .append(csvCell(l.params().toString())).append(',').append(r.status());
            for (String c : cols) {
                Double v = r.metrics().get(c);
                csv.append(',').append(v == null ? "" : Double.toString(v));
            }
            csv.append('\n');
        }
        AtomicFiles.write(out.resolve("metrics.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        if (shape != null) {
            int d = 1;
            for (int v : shape) {
                d *= v;
            }
            for (int i = 0; i < results.size(); i++) {
                double[] lane = kept.get(i);
                int count = lane.length / d;
                if (count == 0) {
                    continue;
                }
                String slug = SampleStore.slug(p.lanes().get(i).name(), i);
                int[] full = new int[shape.length + 1];
                full[0] = count;
                System.arraycopy(shape, 0, full, 1, shape.length);
                Npy.writeFloat32(out.resolve("samples").resolve(slug + ".npy"), full, lane);
                if (shape.length == 3 && (shape[0] == 1 || shape[0] == 3)) {
                    Map<String, Object> record = results.get(i).record();
                    for (int k = 0; k < count; k++) {
                        // the lane's run record (what the engine ran), for this image
                        Map<String, Object> recipe = RunRecord.forImage(record, k);
                        ImagePngs.write(out.resolve("samples").resolve(slug).resolve(String.format("%05d.png", k)),
                                lane, k, shape, recipe);
                    }
                }
            }
        }
        if (withProject) {
            Path file = out.resolve("project" + ProjectFiles.EXTENSION);
            ProjectFiles.write(p.withResults(results), file);
            if (shape != null) {
                // the kept samples beside the project, where the workbench looks for them when it opens the project
                for (int i = 0; i < results.size(); i++) {
                    if (kept.get(i).length > 0) {
                        SampleStore.write(SampleStore.folderFor(file), i, p.lanes().get(i).name(), shape, kept.get(i));
                    }
                }
            }
        }
        return json;
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
