package org.flowbench.app.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.flowbench.app.project.LaneResult;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.PromptSet;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunRecord;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lanes of a project on one background worker and publishes {@link SessionEvent}s. Lanes advance
 * round-robin one batch at a time, so all columns fill together and no lane's latency is inflated by another lane
 * computing at the same moment. Every lane gets the same seed and image indices, so image i of every lane starts
 * from the same noise.
 *
 * <p>{@link #stop()} returns at once; the running sampler notices within one step, the batch in flight is dropped
 * and every finished batch (and its metrics) stays. A lane that fails (bad parameter, NaN, model error) is marked
 * FAILED with its message while the other lanes go on. Quality metrics are recomputed on a separate thread
 * through a {@link LatestWins} scheduler, so slow metrics never hold up sampling and never queue stale work.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** Opens the model for a run; replaceable in tests. */
    @FunctionalInterface
    public interface ModelOpener {
        FlowModel open(String ref);
    }

    private final Project project;
    private final Consumer<SessionEvent> listener;
    private final ModelOpener opener;
    private final CancellationToken cancel = new CancellationToken();
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Where the run executes: the session's own worker thread, or the executor the caller gave. */
    private final java.util.concurrent.Executor worker;
    private final ExecutorService ownWorker;
    private final ExecutorService metricsThread;
    private final List<LaneRun> runs = new ArrayList<>();
    private volatile boolean started;
    private volatile double minPreviewIntervalMs = 100;
    private volatile int[] shape;
    private volatile boolean metricsClosed;

    public Session(Project project, Consumer<SessionEvent> listener) {
        this(project, listener, Models::open);
    }

    public Session(Project project, Consumer<SessionEvent> listener, ModelOpener opener) {
        this(project, listener, opener, null);
    }

    /**
     * A session whose run executes on {@code executor} (null: a worker thread of its own). Tests pass a same-thread
     * executor, so that {@link #start} returns when the run is over and nothing needs waiting for.
     */
    public Session(Project project, Consumer<SessionEvent> listener, ModelOpener opener,
                   java.util.concurrent.Executor executor) {
        this.project = project;
        this.listener = listener;
        this.opener = opener;
        this.ownWorker = executor == null ? Executors.newSingleThreadExecutor(daemon("flowbench-session", this)) : null;
        this.worker = executor == null ? ownWorker : executor;
        this.metricsThread = Executors.newSingleThreadExecutor(daemon("flowbench-metrics", this));
        for (int i = 0; i < project.lanes().size(); i++) {
            runs.add(new LaneRun(i, project.lanes().get(i)));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name, Session owner) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setPriority(owner.threadPriority);
            return t;
        };
    }

    private volatile int threadPriority = Thread.NORM_PRIORITY;

    /**
     * Runs this session's compute at the lowest thread priority, so an interactive UI is scheduled first on a busy
     * machine. It takes effect where the JVM maps Java priorities to OS ones (the launchers pass
     * {@code -XX:ThreadPriorityPolicy=1}); headless runs keep normal priority, so their timings are not skewed.
     * Native threads a model starts (PyTorch's intra-op pool) inherit it from the worker that starts them.
     */
    public Session background() {
        this.threadPriority = Thread.MIN_PRIORITY;
        return this;
    }

    /** Previews of one lane are forwarded at most this often (they are also throttled by steps in the request). */
    public Session minPreviewInterval(double ms) {
        this.minPreviewIntervalMs = ms;
        return this;
    }

    /** Starts the run on the worker; returns at once (at the end of the run with a same-thread executor). */
    public Session start() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("session already started");
            }
            started = true;
        }
        worker.execute(this::runAll);
        return this;
    }

    /** Asks the run to stop; returns at once. Finished batches and their metrics are kept. */
    public void stop() {
        cancel.cancel();
    }

    public boolean isStopRequested() {
        return cancel.isCancelled();
    }

    /** Waits for the run to end. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** Runs to the end on the calling thread's behalf (headless runs). */
    public void runBlocking() throws InterruptedException {
        start();
        finished.await();
    }

    public int lanes() {
        return runs.size();
    }

    public LaneStatus status(int lane) {
        return runs.get(lane).status;
    }

    public String message(int lane) {
        return runs.get(lane).message;
    }

    public LaneStats stats(int lane) {
        return runs.get(lane).snapshot();
    }

    /** All finished images of a lane kept for display (all of them for 2-D models, the first few otherwise). */
    public double[] keptSamples(int lane) {
        return runs.get(lane).kept();
    }

    /**
     * The initial images of the kept samples, same order, for methods that start from one and improve it (ReNO's
     * k = 0 images); empty when the lane's sampler sends none.
     */
    public double[] keptInitial(int lane) {
        return runs.get(lane).keptInitial();
    }

    public int[] shape() {
        return shape;
    }

    /** The seed this run draws its noise from. */
    public long seedUsed() {
        return project.seed();
    }

    /** Per-lane results for the project file. */
    public List<LaneResult> results() {
        List<LaneResult> out = new ArrayList<>();
        for (LaneRun r : runs) {
            LaneStats s = r.snapshot();
            out.add(new LaneResult(r.spec.name(), r.status.name().toLowerCase(java.util.Locale.ROOT), r.message,
                    s.images(), s.toMetrics(), r.record()));
        }
        return out;
    }

    private void emit(SessionEvent e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("session listener failed on {}: {}", e.getClass().getSimpleName(), ex.toString());
        }
    }

    private void runAll() {
        long t0 = System.nanoTime();
        FlowModel model = null;
        Map<String, FlowModel> opened = new LinkedHashMap<>();
        try {
            try {
                model = opener.open(project.model());
                opened.put(project.model(), model);
            } catch (RuntimeException e) {
                String msg = e instanceof FlowbenchException fe ? fe.oneLine() : "cannot open model: " + e;
                for (LaneRun r : runs) {
                    r.fail(msg);
                }
                return;
            }
            shape = model.shape().clone();
            try {
                // every lane keeps its samples: refuse a run that cannot hold them before computing anything
                org.flowbench.engine.run.MemoryBudget.requireSamples(project.n(), model.dim(), 2 * runs.size(),
                        "the project's n = " + project.n());
            } catch (FlowbenchException e) {
                for (LaneRun r : runs) {
                    r.fail(e.oneLine());
                }
                return;
            }
            emit(new SessionEvent.Started(runs.size(), project.n(), shape.clone()));
            for (LaneRun r : runs) {
                // a lane may sample a model of its own (a student next to its teacher): same image shape, own classes
                String ref = r.spec.modelOr(project.model());
                FlowModel lm;
                PromptSet prompts;
                try {
                    lm = opened.get(ref);
                    if (lm == null) {
                        lm = opener.open(ref);
                        opened.put(ref, lm);
                    }
                    if (!Arrays.equals(lm.shape(), shape)) {
                        throw new FlowbenchException("lane model " + ref + " makes images of shape "
                                + Arrays.toString(lm.shape()) + ", the project's model " + Arrays.toString(shape));
                    }
                    prompts = PromptSet.parse(project.prompt(), lm);
                } catch (RuntimeException e) {
                    r.fail(e instanceof FlowbenchException fe ? fe.oneLine() : "cannot open model " + ref + ": " + e);
                    continue;
                }
                r.model = lm;
                r.prompts = prompts;
                r.request = SamplingRequest.conditioned(project.seed(), 0, project.n(), project.batch(),
                        prompts.cycle(), Math.max(0, project.previewEvery()));
                r.prepare(lm, prompts);
            }
            for (int from = 0; from < project.n(); from += project.batch()) {
                int count = Math.min(project.batch(), project.n() - from);
                boolean any = false;
                for (LaneRun r : runs) {
                    if (cancel.isCancelled()) {
                        break;
                    }
                    if (r.status == LaneStatus.RUNNING) {
                        r.runChunk(r.model, r.request.slice(from, count, count));
                        any = true;
                    }
                }
                if (!any || cancel.isCancelled()) {
                    break;
                }
            }
            if (cancel.isCancelled()) {
                // pending metric updates are dropped: each lane's final figures are computed once below
                metricsClosed = true;
                metricsThread.shutdownNow();
            }
            for (LaneRun r : runs) {
                r.computeFinal();
            }
            updateRanks();
            for (LaneRun r : runs) {
                r.finish();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("session failed", e);
            for (LaneRun r : runs) {
                if (!r.status.finished()) {
                    r.fail("internal error: " + e);
                }
            }
        } finally {
            for (FlowModel m : opened.values()) {
                try {
                    m.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing model: {}", e.toString());
                }
            }
            metricsThread.shutdown();
            try {
                if (!metricsClosed) {
                    metricsThread.awaitTermination(60, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            metricsClosed = true;
            emit(new SessionEvent.Finished(cancel.isCancelled(), (System.nanoTime() - t0) / 1e9));
            finished.countDown();
            if (ownWorker != null) {
                ownWorker.shutdown();
            }
        }
    }

    /** One lane's state in this run; touched by the worker, snapshots read from anywhere. */
    private final class LaneRun {
        final int index;
        final LaneSpec spec;
        volatile LaneStatus status = LaneStatus.WAITING;
        volatile String message;
        Sampler sampler;
        QualityEvaluator quality = QualityEvaluator.NONE;
        LatestWins qualityScheduler;
        volatile Map<String, Double> lastQuality = Map.of();
        volatile Map<String, Double> lastRank = Map.of();
        volatile boolean finalComputed;
        volatile Map<String, Double> lastQuick = Map.of();
        final LatencyTracker latency = new LatencyTracker();
        AnalyticQuality modes;
        long images;
        long nfe;
        /** The model this lane samples, its prompts and request (the project's model unless the lane names its own). */
        FlowModel model;
        PromptSet prompts;
        SamplingRequest request;
        /** What ran, from the samplers' manifests, with the cost ledger's totals over the finished images. */
        final RunRecord runRecord = new RunRecord();
        double busySeconds;
        long stepsDone;
        long stepsTotal;
        double previewMs;
        long lastPreviewNanos;
        int keepLimit;
        double[] kept = new double[0];
        int keptCount;
        /** Per kept image, its initial image (ReNO), or empty. */
        double[] keptInitial = new double[0];
        int dim;

        LaneRun(int index, LaneSpec spec) {
            this.index = index;
            this.spec = spec;
        }

        void prepare(FlowModel model, PromptSet prompts) {
            dim = model.dim();
            keepLimit = model.dim() <= 3 ? project.n() : Math.min(project.n(), 64);
            qualityScheduler = new LatestWins(metricsThread);
            try {
                SamplerRegistry.get(spec.sampler()).checkModel(model);
                sampler = SamplerRegistry.create(spec.sampler(), spec.params());
            } catch (FlowbenchException e) {
                fail(e.oneLine());
                return;
            }
            try {
                quality = Metrics.forLane(model, prompts.cycle(), project.referenceStats(), 0);
                modes = quality instanceof AnalyticQuality a ? a : null;
            } catch (FlowbenchException e) {
                fail(e.oneLine());
                return;
            }
            status = LaneStatus.RUNNING;
        }

        void fail(String msg) {
            status = LaneStatus.FAILED;
            message = msg;
            emit(new SessionEvent.LaneFinished(index, status, msg, snapshot(), record()));
        }

        void runChunk(FlowModel model, SamplingRequest req) {
            long start = System.nanoTime();
            long stepsBefore = stepsDone;
            List<SampleBatch> delivered = new ArrayList<>();
            ProgressListener pl = new ProgressListener() {
                private long preparationStart;
                private String preparation = "";

                @Override
                public void batchDone(SampleBatch batch) {
                    delivered.add(batch);
                }

                @Override
                public void trace(long firstImage, int count, int step, Map<String, double[]> values) {
                    Map<String, Double> means = new LinkedHashMap<>();
                    values.forEach((k, v) -> means.put(k, finiteMean(v)));
                    emit(new SessionEvent.Trace(index, firstImage, step, means));
                }

                @Override
                public void extras(long firstImage, int count, Map<String, double[]> perImage) {
                    double[] initial = perImage.get("initial");
                    if (initial != null) {
                        keepInitial(firstImage, count, initial);
                    }
                }

                @Override
                public void progress(long done, long total, String what) {
                    if (!"steps".equals(what)) {
                        // a preparation (a BOSS cost matrix, minutes with cost=features): the lane's bar and time
                        // left show the preparation until its first step
                        long now = System.nanoTime();
                        if (!what.equals(preparation)) {
                            preparation = what;
                            preparationStart = now;
                        }
                        double spent = (now - preparationStart) / 1e9;
                        emit(new SessionEvent.Progress(index, done, total,
                                done > 0 && total > done ? spent / done * (total - done) : Double.NaN));
                        return;
                    }
                    long perImage = total / Math.max(1, req.n());
                    stepsTotal = perImage * project.n();
                    stepsDone = stepsBefore + done;
                    double elapsed = busySeconds + (System.nanoTime() - start) / 1e9;
                    double eta = stepsDone > 0 ? elapsed / stepsDone * (stepsTotal - stepsDone)
                            * runs.stream().filter(r -> r.status == LaneStatus.RUNNING).count() : Double.NaN;
                    emit(new SessionEvent.Progress(index, stepsDone, stepsTotal, eta));
                }

                @Override
                public void preview(long firstImage, int count, int step, double[] x1Hat) {
                    long now = System.nanoTime();
                    if ((now - lastPreviewNanos) / 1e6 < minPreviewIntervalMs) {
                        return;
                    }
                    lastPreviewNanos = now;
                    int keep = Math.min(count, Math.max(1, keepLimit));
                    double[] copy = Arrays.copyOf(x1Hat, keep * dim);
                    emit(new SessionEvent.Preview(index, firstImage, keep, step, shape, copy));
                    previewMs += (System.nanoTime() - now) / 1e6;
                }
            };
            SampleBatch b;
            try {
                b = sampler.sample(req, model, pl, cancel);
            } catch (CancellationToken.CancelledException e) {
                if (delivered.isEmpty()) {
                    busySeconds += (System.nanoTime() - start) / 1e9;
                    stepsDone = stepsBefore;
                    return;
                }
                // a method that stopped early delivered its images so far (ReNO's best so far): keep them
                delivered.sort(java.util.Comparator.comparingLong(SampleBatch::firstImage));
                b = SampleBatch.concat(delivered, delivered.get(0).manifest());
            } catch (FlowbenchException e) {
                fail(e.oneLine());
                return;
            } catch (RuntimeException e) {
                LOG.warn("lane {} failed", spec.name(), e);
                fail(spec.sampler() + " failed: " + e);
                return;
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double[] s = b.samples();
            for (int i = 0; i < s.length; i++) {
                if (!Double.isFinite(s[i])) {
                    fail("non-finite value (" + s[i] + ") in image " + (b.firstImage() + i / dim)
                            + "; the sampler diverged");
                    return;
                }
            }
            synchronized (this) {
                busySeconds += wall;
                images += b.count();
                nfe += b.totalNfe();
                runRecord.add(b);
                latency.add(b.count(), (long) (wall * 1e9), b.totalNfe());
                int take = Math.min(b.count(), keepLimit - keptCount);
                if (take > 0) {
                    double[] grown = Arrays.copyOf(kept, (keptCount + take) * dim);
                    System.arraycopy(s, 0, grown, keptCount * dim, take * dim);
                    kept = grown;
                    keptCount += take;
                }
            }
            quality.add(s, b.count());
            try {
                lastQuick = quality.quick();
            } catch (RuntimeException e) {
                LOG.warn("quick metrics of lane {} failed: {}", spec.name(), e.toString());
            }
            emit(new SessionEvent.BatchDone(index, b, snapshot(), record()));
            QualityEvaluator q = quality;
            qualityScheduler.submit(() -> {
                if (metricsClosed || finalComputed) {
                    return;
                }
                try {
                    Map<String, Double> computed = q.compute();
                    synchronized (this) {
                        // a compute that ends after the lane's final figures would put older figures back
                        if (metricsClosed || finalComputed) {
                            return;
                        }
                        lastQuality = computed;
                    }
                    updateRanks();
                    emit(new SessionEvent.BatchDone(index, null, snapshot(), record()));
                } catch (RuntimeException e) {
                    LOG.warn("quality metrics of lane {} failed: {}", spec.name(), e.toString());
                }
            });
        }

        void computeFinal() {
            if (status != LaneStatus.RUNNING) {
                return;
            }
            try {
                Map<String, Double> last = quality.computeFinal();
                synchronized (this) {
                    lastQuality = last;
                    lastQuick = Map.of();
                    finalComputed = true;
                }
            } catch (RuntimeException e) {
                LOG.warn("final metrics of lane {} failed: {}", spec.name(), e.toString());
                finalComputed = true;
            }
        }

        void finish() {
            if (status != LaneStatus.RUNNING) {
                return;
            }
            status = cancel.isCancelled() && images < project.n() ? LaneStatus.STOPPED : LaneStatus.DONE;
            if (status == LaneStatus.STOPPED) {
                message = "stopped after " + images + " of " + project.n() + " images";
            }
            emit(new SessionEvent.LaneFinished(index, status, message, snapshot(), record()));
        }

        /** The record of what ran in this lane so far (empty before its first batch). */
        Map<String, Object> record() {
            if (runRecord.isEmpty()) {
                return Map.of();
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("lane", spec.name());
            extra.put("prompt", project.prompt());
            if (prompts != null) {
                extra.put("prompts", prompts.description());
            }
            return runRecord.toMap(extra);
        }

        synchronized double[] kept() {
            return Arrays.copyOf(kept, keptCount * dim);
        }

        synchronized double[] keptInitial() {
            return keptInitial.clone();
        }

        /** Keeps the initial images of images [first, first + count) that fall among the kept ones. */
        synchronized void keepInitial(long first, int count, double[] initial) {
            int from = (int) (first - request.firstImage());
            int take = Math.min(count, keepLimit - from);
            if (from < 0 || take <= 0) {
                return;
            }
            if (keptInitial.length < (from + take) * dim) {
                keptInitial = Arrays.copyOf(keptInitial, (from + take) * dim);
            }
            System.arraycopy(initial, 0, keptInitial, from * dim, take * dim);
        }

        synchronized LaneStats snapshot() {
            Map<String, Double> q = new LinkedHashMap<>(lastQuality);
            q.putAll(lastQuick);
            q.putAll(lastRank);
            return new LaneStats(images, images == 0 ? Double.NaN : nfe / (double) images, busySeconds, q,
                    latency.summary(), modes == null ? new double[0] : modes.fractions(), previewMs, costPerImage());
        }

        private Map<String, Double> costPerImage() {
            Map<String, Double> m = new LinkedHashMap<>();
            runRecord.costTotals().forEach((k, v) -> m.put(k, images == 0 ? Double.NaN : v / (double) images));
            return m;
        }
    }

    /** Ranks the lanes by KID compared pair by pair ({@link KidRanks}). */
    private synchronized void updateRanks() {
        List<QualityEvaluator.KidSums> sums = new ArrayList<>();
        for (LaneRun r : runs) {
            sums.add(r.status == LaneStatus.FAILED ? null : r.quality.kidSums());
        }
        List<Map<String, Double>> ranks = KidRanks.of(sums);
        for (int i = 0; i < runs.size(); i++) {
            runs.get(i).lastRank = ranks.get(i);
        }
    }

    private static double finiteMean(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
