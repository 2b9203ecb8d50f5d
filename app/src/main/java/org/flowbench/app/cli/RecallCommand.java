package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.session.Recall;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowbench recall}: the recipe of a PNG, manifest or metrics.json as a project, and a re-run check. */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = {"Read the recipe of a PNG, sampling manifest or run metrics.json that Flowbench wrote; write it "
                + "as a project that runs it again, and check that re-running a PNG's image gives it back bit for bit.",
                "Exit code 1 when --check finds a difference."})
public final class RecallCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a PNG, a sample --manifest JSON or a run's metrics.json")
    Path file;

    @Option(names = "--out", paramLabel = "PROJECT", description = "write the recipe as this project (.flowbench)")
    Path out;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    @Option(names = "--check", description = "re-run the PNG's image and compare its pixels with the file's")
    boolean check;

    @Option(names = "--json", description = "print the recipes (and the check) as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (out != null) {
            if (!out.getFileName().toString().endsWith(ProjectFiles.EXTENSION)) {
                throw new FlowbenchException("--out " + out + " is not a project file", "name it NAME"
                        + ProjectFiles.EXTENSION);
            }
            if (Files.exists(out) && Files.isSameFile(out, file)) {
                throw new FlowbenchException("--out " + out + " is the file being recalled", "write the project elsewhere");
            }
            if (Files.exists(out) && !overwrite) {
                throw new FlowbenchException("--out " + out + " exists", "give another name or add --overwrite");
            }
            OutputPaths.requireWritableFolder("--out", out);
        }
        List<Recall.Recipe> recipes = Recall.read(file);
        String name = file.getFileName().toString().replaceAll("\\.[^.]*$", "");
        Project p = Recall.toProject(recipes, "Recalled " + name);
        Recall.Check c = null;
        if (check) {
            c = Recall.check(file, Models::open);
        }
        if (out != null) {
            ProjectFiles.write(p, out);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("file", file.toString());
            j.put("model", p.model());
            j.put("prompt", p.prompt());
            j.put("seed", p.seed());
            j.put("n", p.n());
            List<Map<String, Object>> lanes = new ArrayList<>();
            for (int i = 0; i < recipes.size(); i++) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("lane", p.lanes().get(i).name());
                l.put("image", recipes.get(i).image());
                l.put("record", recipes.get(i).record());
                lanes.add(l);
            }
            j.put("lanes", lanes);
            if (out != null) {
                j.put("project", out.toString());
            }
            if (c != null) {
                j.put("check", Map.of("identical", c.identical(), "differingValues", c.differingValues(),
                        "maxLevelDifference", c.maxLevelDifference(), "versionChanges", c.versionChanges()));
            }
            o.println(Json.MAPPER.writeValueAsString(j));
        } else {
            for (int i = 0; i < recipes.size(); i++) {
                LaneSpec l = p.lanes().get(i);
                Recall.Recipe r = recipes.get(i);
                o.printf("%s: %s %s on %s, prompt '%s', seed %d%s%n", l.name(), l.sampler(), l.params(), r.model(),
                        r.prompt(), r.seed(), r.image() == null ? "" : ", image " + r.image());
            }
            if (out != null) {
                o.printf("wrote %s (%d lane%s, N %d)%n", out, p.lanes().size(), p.lanes().size() == 1 ? "" : "s", p.n());
            }
            if (c != null) {
                o.println("check: " + c.summary());
            }
        }
        return c == null || c.identical() ? 0 : 1;
    }
}
