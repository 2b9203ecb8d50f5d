package org.flowbench.samplers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.flowbench.engine.Versions;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;

/**
 * The one sampling loop every sampler runs in: a long preparation with progress and cancel ({@link #begin}), the
 * request's images in chunks ({@link #chunks}: consecutive runs of the batch size unless the method groups them
 * otherwise), each image starting from its own noise (stream 0 of its index), then per chunk the method's
 * {@link #integrate}, timing, the {@link CostLedger}, {@code batchDone} for every finished run of consecutive images,
 * and finally the manifest with the method's diagnostics, the cost per image and the wall time. Subclasses implement
 * one chunk through a {@link Batch}, which charges network evaluations, checks cancel and emits previews.
 */
public abstract class BatchSampler<C extends Record> extends ConfiguredSampler<C> {
    protected BatchSampler(String id, String version, C config) {
        super(id, version, config);
    }

    /** What a sampler keeps for the length of one {@code sample} call: diagnostics over chunks, models it opened. */
    public interface RunState extends AutoCloseable {
        RunState NONE = new RunState() {};

        /** Adds diagnostics gathered over the chunks to the manifest. */
        default void describe(RunManifest.Builder manifest) {}

        @Override
        default void close() {}
    }

    /** Progress units (steps) one image costs, for progress and ETA; an estimate for adaptive methods. */
    protected abstract long stepsPerImage(SamplingRequest req, FlowModel model);

    /** Where integration starts, for the initial noise scale σ(t0). */
    protected abstract double startTime(SamplingRequest req, FlowModel model);

    /** Integrates one chunk in place from t0 to the data end. */
    protected abstract void integrate(Batch batch);

    /**
     * Prepares one call: long precomputations (a schedule) report progress on {@code listener} and honour
     * {@code cancel}; per-call state is returned and reaches {@link #integrate} as {@link Batch#state()}.
     */
    protected RunState begin(SamplingRequest req, FlowModel model, ProgressListener listener, CancellationToken cancel) {
        return RunState.NONE;
    }

    /** Method diagnostics for the manifest (grids, schedules, ...), known before the first image. */
    protected void describe(SamplingRequest req, FlowModel model, RunManifest.Builder manifest) {}

    /** The request's images grouped into chunks (request-relative indices, each chunk in increasing order). */
    protected List<int[]> chunks(SamplingRequest req) {
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < req.n(); from += req.batch()) {
            int b = Math.min(req.batch(), req.n() - from);
            int[] c = new int[b];
            for (int i = 0; i < b; i++) {
                c[i] = from + i;
            }
            out.add(c);
        }
        return out;
    }

    @Override
    public final SampleBatch sample(SamplingRequest req, FlowModel model, ProgressListener listener,
                                    CancellationToken cancel) {
        long start = System.nanoTime();
        try (RunState state = begin(req, model, listener, cancel)) {
            RunManifest.Builder mb = manifestFor(this, req, model);
            describe(req, model, mb);
            RunManifest early = mb.build();
            int d = model.dim();
            long perImage = stepsPerImage(req, model);
            long total = perImage * req.n();
            long[] done = {0};
            double std = model.path().sigma(startTime(req, model));
            List<SampleBatch> parts = new ArrayList<>();
            for (int[] chunk : chunks(req)) {
                cancel.check();
                int b = chunk.length;
                double[] x = new double[b * d];
                int[] labels = new int[b];
                for (int i = 0; i < b; i++) {
                    NoiseSource.gaussian(req.seed(), req.firstImage() + chunk[i], 0, x, i * d, d);
                    labels[i] = req.label(chunk[i]);
                }
                for (int i = 0; i < x.length; i++) {
                    x[i] *= std;
                }
                long t0 = System.nanoTime();
                Batch batch = new Batch(model, req, chunk, x, labels, listener, cancel, done, total, state);
                integrate(batch);
                double ms = (System.nanoTime() - t0) / 1e6 / b;
                // every run of consecutive images of the chunk is final now
                for (int from = 0; from < b; ) {
                    int to = from + 1;
                    while (to < b && chunk[to] == chunk[to - 1] + 1) {
                        to++;
                    }
                    double[] lat = new double[to - from];
                    Arrays.fill(lat, ms);
                    SampleBatch sb = new SampleBatch(req.firstImage() + chunk[from], to - from, model.shape(),
                            Arrays.copyOfRange(x, from * d, to * d), batch.cost.slice(from, to - from), lat, early);
                    listener.batchDone(sb);
                    parts.add(sb);
                    from = to;
                }
                // a method that stops early keeps its chunk (ReNO's best so far); the run still ends as cancelled
                cancel.check();
            }
            parts.sort(Comparator.comparingLong(SampleBatch::firstImage));
            SampleBatch all = SampleBatch.concat(parts, early);
            state.describe(mb);
            mb.put("cost", all.cost().perImage());
            mb.put("wallSeconds", (System.nanoTime() - start) / 1e9);
            RunManifest manifest = mb.build();
            return new SampleBatch(all.firstImage(), all.count(), all.shape(), all.samples(), all.cost(),
                    all.latencyMs(), manifest);
        }
    }

    /** The manifest entries every sampler records. */
    public static RunManifest.Builder manifestFor(Sampler s, SamplingRequest req, FlowModel model) {
        return RunManifest.builder()
                .put("model", model.id())
                .put("modelHash", model.hash())
                .put("sampler", s.id())
                .put("samplerVersion", s.version())
                .put("params", Configs.toMap(s.config()))
                .put("seed", req.seed())
                .put("firstImage", req.firstImage())
                .put("n", req.n())
                .put("batch", req.batch())
                .put("labels", req.labels() == null ? null : Arrays.stream(req.labels()).boxed().toList())
                .put("device", model.device())
                .put("deviceInfo", org.flowbench.engine.device.Devices.describe(model.device()))
                .put("dtype", model.dtype())
                .put("engine", model.engine())
                .put("appVersion", Versions.app());
    }

    /** One chunk in flight: states, labels, the cost ledger, cancel, progress and previews. */
    public static final class Batch {
        public final FlowModel model;
        public final SamplingRequest request;
        /** Index of this chunk's first image. */
        public final long firstImage;
        /** Absolute image indices of the chunk, in increasing order. */
        public final long[] images;
        public final int n;
        /** States, n × dim, updated in place; the chunk's output when {@link #integrate} returns. */
        public final double[] x;
        public final int[] labels;
        /** What each image of the chunk cost. */
        public final CostLedger cost;
        private final ProgressListener listener;
        private final CancellationToken cancel;
        private final long[] done;
        private final long total;
        private final RunState state;
        private final int networkPerState;
        private final boolean guided;

        Batch(FlowModel model, SamplingRequest request, int[] chunk, double[] x, int[] labels,
              ProgressListener listener, CancellationToken cancel, long[] done, long total, RunState state) {
            this.model = model;
            this.request = request;
            this.n = chunk.length;
            this.images = new long[n];
            for (int i = 0; i < n; i++) {
                images[i] = request.firstImage() + chunk[i];
            }
            this.firstImage = images[0];
            this.x = x;
            this.labels = labels;
            this.cost = new CostLedger(n);
            this.listener = listener;
            this.cancel = cancel;
            this.done = done;
            this.total = total;
            this.state = state;
            this.networkPerState = model.networkEvaluationsPerState();
            this.guided = model.guided();
        }

        public int dim() {
            return model.dim();
        }

        /** The per-call state {@link #begin} returned. */
        @SuppressWarnings("unchecked")
        public <S extends RunState> S state() {
            return (S) state;
        }

        /** Charges image i for {@code states} evaluations of the model (network and guided counters). */
        public void chargeEvaluations(int i, long states) {
            cost.add(CostLedger.NETWORK, i, states * networkPerState);
            if (guided) {
                cost.add(CostLedger.GUIDED, i, states);
            }
        }

        /** v(xs, t) for all states of the chunk; charges one evaluation per image. */
        public void velocity(double t, double[] xs, double[] out) {
            model.velocity(xs, n, t, labels, out);
            for (int i = 0; i < n; i++) {
                chargeEvaluations(i, 1);
            }
        }

        /**
         * A copy of the states at the start of step {@code k} (1-based) if that step emits a preview, else null:
         * pass it to {@link #stepDone} with the velocity evaluated there.
         */
        public double[] previewStart(int k) {
            int every = request.previewEvery();
            return every > 0 && k % every == 0 ? x.clone() : null;
        }

        /**
         * Marks the end of step {@code k} (1-based) that started at (t, xAtT) with velocity vAtT there: checks cancel,
         * reports progress, and emits the preview x̂1 computed from that velocity (no extra evaluation) when xAtT
         * and vAtT are given and the step is a preview step.
         */
        public void stepDone(int k, double t, double[] xAtT, double[] vAtT) {
            progress(n);
            int every = request.previewEvery();
            if (every > 0 && k % every == 0 && xAtT != null && vAtT != null) {
                double[] x1 = new double[xAtT.length];
                Parameterization.convert(model.path(), t, Parameterization.VELOCITY, Parameterization.DATA, xAtT, vAtT,
                        x1, xAtT.length);
                listener.preview(firstImage, n, k, x1);
            }
            cancel.check();
        }

        /** Reports {@code steps} more progress units (image-steps) done; checks nothing. */
        public void progress(long steps) {
            done[0] += steps;
            listener.progress(Math.min(done[0], total), total, "steps");
        }

        /** Checks cancel. */
        public void checkCancel() {
            cancel.check();
        }

        /** Whether cancel was asked for (methods that keep their best result so far stop without throwing). */
        public boolean cancelRequested() {
            return cancel.isCancelled();
        }

        /** Sends per-image values after step {@code k} of the whole chunk (see {@link ProgressListener#trace}). */
        public void trace(int k, java.util.Map<String, double[]> values) {
            listener.trace(firstImage, n, k, values);
        }

        /** Sends the chunk's further per-image outputs (see {@link ProgressListener#extras}). */
        public void extras(java.util.Map<String, double[]> perImage) {
            listener.extras(firstImage, n, perImage);
        }

        /** Emits a preview of x̂1 for images {@code first .. first + count - 1} (samplers that compute it themselves). */
        public void preview(long first, int count, int k, double[] x1Hat) {
            listener.preview(first, count, k, x1Hat);
        }

        /** Emits a preview of x̂1 for the whole chunk. */
        public void preview(int k, double[] x1Hat) {
            listener.preview(firstImage, n, k, x1Hat);
        }

        /** Standard normal noise for image i of this chunk from the given stream (one stream per step and purpose). */
        public void noise(int stream, double[] out) {
            int d = dim();
            for (int i = 0; i < n; i++) {
                NoiseSource.gaussian(request.seed(), images[i], stream, out, i * d, d);
            }
        }
    }
}
