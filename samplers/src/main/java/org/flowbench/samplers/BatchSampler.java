package org.flowbench.samplers;

import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.Versions;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;

/**
 * The sampling loop shared by samplers whose images are independent of each other: split the request into
 * batches, start each image from its own noise (stream 0 of its index), integrate, time and count. Subclasses
 * implement {@link #integrate} for one batch through a {@link Batch}, which counts NFE, checks cancel and emits
 * previews.
 */
public abstract class BatchSampler<C extends Record> extends ConfiguredSampler<C> {
    protected BatchSampler(String id, String version, C config) {
        super(id, version, config);
    }

    /** Progress units (steps) one image costs, for progress and ETA; an estimate for adaptive methods. */
    protected abstract long stepsPerImage(FlowModel model);

    /** Where integration starts, for the initial noise scale σ(t0). */
    protected abstract double startTime(FlowModel model);

    /** Integrates one batch in place from t0 to the data end. */
    protected abstract void integrate(Batch batch);

    /** Method diagnostics for the manifest (grids, schedules, ...). */
    protected void describe(FlowModel model, RunManifest.Builder manifest) {}

    @Override
    public final SampleBatch sample(SamplingRequest req, FlowModel model, ProgressListener listener,
                                    CancellationToken cancel) {
        RunManifest.Builder mb = manifestFor(this, req, model);
        describe(model, mb);
        RunManifest manifest = mb.build();
        int d = model.dim();
        long perImage = stepsPerImage(model);
        long total = perImage * req.n();
        long[] done = {0};
        double std = model.path().sigma(startTime(model));
        List<SampleBatch> parts = new ArrayList<>();
        for (int from = 0; from < req.n(); from += req.batch()) {
            cancel.check();
            int b = Math.min(req.batch(), req.n() - from);
            long first = req.firstImage() + from;
            double[] x = new double[b * d];
            for (int i = 0; i < b; i++) {
                NoiseSource.gaussian(req.seed(), first + i, 0, x, i * d, d);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] *= std;
            }
            int[] labels = new int[b];
            for (int i = 0; i < b; i++) {
                labels[i] = req.label(from + i);
            }
            long t0 = System.nanoTime();
            Batch batch = new Batch(model, req, first, b, x, labels, listener, cancel, done, total, perImage);
            integrate(batch);
            double ms = (System.nanoTime() - t0) / 1e6 / b;
            double[] lat = new double[b];
            java.util.Arrays.fill(lat, ms);
            SampleBatch sb = new SampleBatch(first, b, model.shape(), x, batch.nfe, lat, manifest);
            listener.batchDone(sb);
            parts.add(sb);
        }
        return SampleBatch.concat(parts, manifest);
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
                .put("labels", req.labels() == null ? null : java.util.Arrays.stream(req.labels()).boxed().toList())
                .put("device", model.device())
                .put("dtype", model.dtype())
                .put("engine", Versions.engine(model.dtype()))
                .put("appVersion", Versions.app());
    }

    /** One batch in flight: states, labels, NFE counters, cancel, progress and previews. */
    public static final class Batch {
        public final FlowModel model;
        public final SamplingRequest request;
        /** Index of this batch's first image. */
        public final long firstImage;
        public final int n;
        /** States, n × dim, updated in place. */
        public final double[] x;
        public final int[] labels;
        public final long[] nfe;
        private final ProgressListener listener;
        private final CancellationToken cancel;
        private final long[] done;
        private final long total;
        private final long perImage;
        private long stepsHere;

        Batch(FlowModel model, SamplingRequest request, long firstImage, int n, double[] x, int[] labels,
              ProgressListener listener, CancellationToken cancel, long[] done, long total, long perImage) {
            this.model = model;
            this.request = request;
            this.firstImage = firstImage;
            this.n = n;
            this.x = x;
            this.labels = labels;
            this.nfe = new long[n];
            this.listener = listener;
            this.cancel = cancel;
            this.done = done;
            this.total = total;
            this.perImage = perImage;
        }

        public int dim() {
            return model.dim();
        }

        /** v(xs, t) for all states of the batch; counts one evaluation per image. */
        public void velocity(double t, double[] xs, double[] out) {
            model.velocity(xs, n, t, labels, out);
            for (int i = 0; i < n; i++) {
                nfe[i]++;
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
            stepsHere++;
            long before = done[0];
            done[0] = before + n;
            listener.progress(Math.min(done[0], total), total, "steps");
            int every = request.previewEvery();
            if (every > 0 && k % every == 0 && xAtT != null && vAtT != null) {
                double[] x1 = new double[xAtT.length];
                Parameterization.convert(model.path(), t, Parameterization.VELOCITY, Parameterization.DATA, xAtT, vAtT,
                        x1, xAtT.length);
                listener.preview(firstImage, n, k, x1);
            }
            cancel.check();
        }

        /** Emits a preview of x̂1 for the whole batch (for samplers that compute it themselves). */
        public void preview(int k, double[] x1Hat) {
            listener.preview(firstImage, n, k, x1Hat);
        }

        /** Standard normal noise for image i of this batch from the given stream (one stream per step and purpose). */
        public void noise(int stream, double[] out) {
            int d = dim();
            for (int i = 0; i < n; i++) {
                NoiseSource.gaussian(request.seed(), firstImage + i, stream, out, i * d, d);
            }
        }

        public long stepsSoFar() {
            return stepsHere;
        }

        long perImage() {
            return perImage;
        }
    }
}
