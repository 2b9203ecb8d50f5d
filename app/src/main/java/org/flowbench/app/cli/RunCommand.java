package org.flowbench.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.RunOutput;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.session.LaneStatus;
import org.flowbench.app.session.Session;
import org.flowbench.app.session.SessionEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowbench run PROJECT --out DIR}: runs a project's lanes headless and writes metrics and samples. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a project's lanes headless; write metrics (JSON, CSV), samples and the project with results.")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print what metrics.json holds (lanes, status, metrics, run records)")
    boolean jsonOut;

    @Parameters(index = "0", description = "the .flowbench project file")
    Path project;

    @Option(names = "--out", description = "output folder (default: NAME-results in the current folder)")
    Path out;

    @Option(names = "--n", description = "override the number of samples per lane")
    Integer n;

    @Option(names = "--seed", description = "override the seed")
    Long seed;


    @Option(names = "--overwrite", description = "replace the results already in --out (the whole folder; without it "
            + "a folder with earlier results is refused)")
    boolean overwrite;

    @Option(names = "--numbered", description = "if --out already holds files, write to the first free DIR-2, DIR-3, "
            + "… instead (earlier results stay as they are)")
    boolean numbered;

    @Override
    public Integer call() throws Exception {
        if (numbered && overwrite) {
            throw new org.flowbench.engine.FlowbenchException("--numbered and --overwrite exclude each other",
                    "keep the earlier results (--numbered) or replace them (--overwrite)");
        }
        deviceOption.apply();
        Project p = ProjectFiles.read(project);
        if (out == null) {
            out = Path.of(ProjectFiles.stem(project) + "-results");
        }
        if (numbered) {
            out = org.flowbench.app.project.OutputFolder.firstFree(out);
        }
        if (n != null || seed != null) {
            p = p.withRun(p.prompt(), n != null ? n : p.n(), Math.min(p.batch(), n != null ? n : p.batch()),
                    seed != null ? seed : p.seed(), p.seedPolicy());
        }
        if (OutputPaths.canonical(project).startsWith(OutputPaths.canonical(out))) {
            throw new org.flowbench.engine.FlowbenchException("--out " + out + " holds the project " + project
                    + " itself; results go into a folder of their own", "choose another --out; nothing was changed");
        }
        try (org.flowbench.engine.model.FlowModel m = org.flowbench.engine.model.Models.open(p.model())) {
            org.flowbench.engine.run.MemoryBudget.requireSamples(p.n(), m.dim(), 2 * p.lanes().size(),
                    "n = " + p.n() + " per lane × " + p.lanes().size() + " lanes");
        }
        var err = spec.commandLine().getErr();
        Project run = p;
        // a progress line per lane (its sampler steps), ended by the lane's outcome
        ProgressReport[] reports = new ProgressReport[p.lanes().size()];
        for (int i = 0; i < reports.length; i++) {
            reports[i] = ProgressReport.on(err, p.lanes().get(i).name(), "steps");
        }
        Session s = new Session(run, e -> {
            if (e instanceof SessionEvent.Progress pr && pr.total() > 0) {
                reports[pr.lane()].update(pr.done(), pr.total());
            }
            if (!Verbosity.quiet() && e instanceof SessionEvent.LaneFinished f) {
                reports[f.lane()].finish();
                err.printf("%s: %s%s%n", run.lanes().get(f.lane()).name(), f.status().name().toLowerCase(Locale.ROOT),
                        f.message() == null ? "" : " (" + f.message() + ")");
                err.flush();
            }
        });
        String command = "flowbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        List<LaneResult> results;
        Map<String, Object> summary;
        // the folder is written as one transaction: earlier results stay whole until the new ones are complete
        try (org.flowbench.app.project.OutputFolder folder = org.flowbench.app.project.OutputFolder.begin(out, overwrite,
                command)) {
            s.runBlocking();
            results = s.results();
            List<double[]> kept = new ArrayList<>();
            for (int i = 0; i < s.lanes(); i++) {
                kept.add(s.keptSamples(i));
            }
            summary = RunOutput.write(folder.staging(), project.toString(), run, results, kept, s.shape(), true);
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("command", command);
            marker.put("project", project.toString());
            marker.put("lanes", results.size());
            folder.commit(marker);
        }
        int failed = 0;
        for (int i = 0; i < s.lanes(); i++) {
            if (s.status(i) == LaneStatus.FAILED) {
                failed++;
            }
        }
        if (jsonOut) {
            spec.commandLine().getOut().println(Cli.json(summary)); // what metrics.json holds
        } else {
            spec.commandLine().getOut().printf("ran %d lanes (%d failed) of %s; wrote %s%n", s.lanes(), failed,
                    project.getFileName(), out.resolve("metrics.json"));
        }
        return failed == s.lanes() && s.lanes() > 0 ? 3 : 0;
    }
}
