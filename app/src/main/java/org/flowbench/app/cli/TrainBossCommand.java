package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.TrainableNetwork;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.Trainer;
import org.flowbench.samplers.boss.BossSchedule;
import org.flowbench.samplers.boss.BossStraighten;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flowbench train boss --model M --steps K}: BOSS straightening. With an analytic rectified-flow mixture, a
 * velocity MLP teacher is first trained on it by flow matching (written to OUT/teacher); with a velocity-MLP or
 * image-UNet package (e.g. {@code builtin:fashion-flow}), that package is the teacher. The student (OUT/student) is the teacher fine-tuned on the chords of its
 * K-step Bellman schedule; its manifest records the parent, K and the times.
 */
@Command(name = "boss", mixinStandardHelpOptions = true,
        description = "BOSS straightening: fine-tune a velocity network on the chords of its Bellman schedule.")
public final class TrainBossCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DeviceOption deviceOption = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "analytic rectified-flow mixture, velocity-MLP package or flow-unet-v1 package")
    String model;

    @Option(names = "--steps", required = true, description = "K: sampling steps of the schedule")
    int k;

    @Option(names = "--out", description = "output folder (default boss-K)")
    Path out;

    @Option(names = "--teacher-steps", defaultValue = "2000", description = "teacher training steps (default ${DEFAULT-VALUE})")
    long teacherSteps;

    @Option(names = "--teacher-lr", defaultValue = "1e-3", description = "teacher learning rate (default ${DEFAULT-VALUE})")
    double teacherLr;

    @Option(names = "--finetune-steps", defaultValue = "2000", description = "fine-tuning steps (default ${DEFAULT-VALUE})")
    long finetuneSteps;

    @Option(names = "--lr", defaultValue = "2e-4", description = "fine-tuning learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", defaultValue = "200", description = "warm-up steps of both phases (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--batch", defaultValue = "64", description = "fine-tuning batch (default ${DEFAULT-VALUE}; teacher 256)")
    int batch;

    @Option(names = "--ema", defaultValue = "0.999", description = "EMA decay (default ${DEFAULT-VALUE})")
    double ema;

    @Option(names = "--tuples", defaultValue = "2000", description = "S: teacher paths for the chord data (default ${DEFAULT-VALUE})")
    int tuples;

    @Option(names = "--fine", defaultValue = "100", description = "N: fine grid (default ${DEFAULT-VALUE})")
    int fine;

    @Option(names = "--cost-samples", defaultValue = "100", description = "M: cost noises (default ${DEFAULT-VALUE})")
    int costSamples;

    @Option(names = "--cost-seed", defaultValue = "0", description = "cost-noise seed (default ${DEFAULT-VALUE})")
    long costSeed;

    @Option(names = "--eval-samples", defaultValue = "2000", description = "held-out noises for the report (default ${DEFAULT-VALUE})")
    int evalSamples;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        deviceOption.apply();
        if (k < 1 || k > fine) {
            throw new FlowbenchException("--steps must be between 1 and --fine (" + fine + ")");
        }
        Path dir = out != null ? out : Path.of("boss-" + k);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        CancellationToken cancel = new CancellationToken();
        Trainer.Listener l = p -> {
            if (p.step() % 200 == 0 || p.step() == p.totalSteps()) {
                err.printf(Locale.ROOT, "step %d/%d loss %.5f lr %.2e%n", p.step(), p.totalSteps(), p.loss(), p.lr());
                err.flush();
            }
        };
        try (FlowModel m = Models.open(model)) {
            VelocityMlp mlp = null; // set when the student is written as a velocity-MLP package
            boolean mlpPackage = false;
            TrainableNetwork student;
            ParamStore teacherW;
            String parent = model;
            FlowModel teacher = m;
            int classes = 0;
            java.util.Optional<TrainableNetwork> network = m.as(TrainableNetwork.class);
            if (network.isPresent()) {
                student = network.get();
                teacherW = student.weights();
                if (VelocityMlp.ARCHITECTURE.equals(student.architecture())) {
                    mlp = VelocityMlp.fromConfig(student.architectureConfig());
                    mlpPackage = true;
                } else {
                    // an image network: paths (and chords) for every class in turn, so the student keeps its classes
                    classes = student.classNames().size();
                }
            } else if (m.as(KnownDistribution.class).isPresent()) {
                KnownDistribution g = BossStraighten.requireMixture(m);
                mlp = new VelocityMlp(g.dim(), 128);
                err.println("training the teacher MLP by flow matching on " + m.id());
                teacherW = BossStraighten.trainTeacher(g, mlp, new BossStraighten.Settings(teacherSteps, 256,
                        teacherLr, warmup, ema, seed), l, cancel);
                parent = dir.resolve("teacher").toString();
                teacher = BossStraighten.model(parent, mlp, teacherW);
                student = teacher.require(TrainableNetwork.class, "train boss");
            } else {
                throw new FlowbenchException("train boss fine-tunes a velocity network (an analytic mixture's MLP "
                        + "teacher, a velocity-MLP package or a flow-unet-v1 package); " + model + " is a "
                        + "model without a trainable network", "straighten the unguided model (without ?cfg=), then sample it "
                        + "with guidance");
            }
            // the schedule of the paths the student learns: every class in turn for a class-conditional teacher
            int[] conditioning = classes > 0 ? java.util.stream.IntStream.range(0, classes).toArray() : null;
            BossSchedule s = BossSchedule.get(teacher, k, fine, costSamples, costSeed, conditioning,
                    org.flowbench.engine.run.ProgressListener.NONE, cancel);
            err.println("Bellman times " + java.util.Arrays.toString(s.times()) + "; fine-tuning on " + tuples
                    + " teacher paths");
            BossStraighten.Tuples data = BossStraighten.tuples(teacher, s, tuples, seed + 1, classes);
            ParamStore studentW = BossStraighten.fineTune(student, teacherW, data, new BossStraighten.Settings(
                    finetuneSteps, batch, lr, warmup, ema, seed + 2), l, cancel);
            Path studentDir = dir.resolve("student");
            long evalSeed = seed + 1_000_003;
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put("command", "flowbench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            prov.put("seed", seed);
            prov.put("finetuneSteps", finetuneSteps);
            prov.put("batch", batch);
            prov.put("lr", lr);
            prov.put("warmupSteps", warmup);
            prov.put("emaDecay", ema);
            prov.put("tuples", tuples);
            prov.put("scheduleConditioning", conditioning == null ? "none (unconditional)"
                    : "every class in turn (cost path m has class m mod " + classes + ")");
            BossStraighten.Heldout held = BossStraighten.heldout(teacher, fine, evalSamples, evalSeed, classes);
            double et = BossStraighten.endpointError(teacher, s.times(), held);
            prov.put("heldOutTeacherError", et);
            if (mlp != null) {
                FlowModel sm = BossStraighten.model(studentDir.toString(), mlp, studentW);
                double es = BossStraighten.endpointError(sm, s.times(), held);
                prov.put("heldOutStudentError", es);
                if (!mlpPackage) {
                    Map<String, Object> tprov = new LinkedHashMap<>(prov);
                    tprov.put("trainedOn", m.id());
                    tprov.put("teacherSteps", teacherSteps);
                    BossStraighten.writeTeacherPackage(dir.resolve("teacher"), mlp, teacherW, m, tprov);
                }
                BossStraighten.writePackage(studentDir, mlp, studentW, teacher, parent, s, prov);
            } else {
                try (FlowModel sm = student.withWeights(studentDir.toString(), studentW)) {
                    prov.put("heldOutStudentError", BossStraighten.endpointError(sm, s.times(), held));
                }
                BossStraighten.writeDerivedPackage(studentDir, ModelPackage.open(PackageResolver.packageDir(model)),
                        studentW, teacher, parent, s, prov);
            }
            double es = (Double) prov.get("heldOutStudentError");
            o.printf(Locale.ROOT, "held-out %d-step error vs the teacher's %d-step endpoint: teacher %.4f, student %.4f "
                    + "(%.1fx lower)%n", k, fine, et, es, et / es);
            o.println("student package written to " + studentDir + "; sample it with --sampler euler "
                    + "--param grid=list --param times=" + String.join(",", java.util.Arrays.stream(s.times())
                    .mapToObj(Double::toString).toList()) + " --steps " + k);
        }
        return 0;
    }
}
