package org.flowbench.engine.nn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.flowbench.engine.FlowbenchException;

/**
 * A built-in network compiled for inference: its ONNX graph ({@link OnnxGraph}) run by ONNX Runtime with every graph
 * optimisation (blocked-layout convolutions, fused SiLU), one thread per session call, the batch split across
 * {@link #threads} threads. On small convolutions a second thread inside one call gains little (the layers are too
 * small to share), while two halves of the batch on two threads run almost twice as fast: see ADR 0009 and
 * docs/benchmarks.md. A split is fixed by the batch size and the thread count, so a call is reproducible bit for bit;
 * images computed in sub-batches of other sizes agree to float32 rounding, as with any vectorised kernel.
 *
 * <p>The parts run on a shared pool per thread priority, so concurrent models queue for the same cores instead of
 * oversubscribing them, and a workbench run at background priority stays there. Thread-safe.
 */
public final class CompiledNetwork implements AutoCloseable {
    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int threads;
    private final String[] inputNames;
    private final java.util.concurrent.atomic.LongAdder busyNanos = new java.util.concurrent.atomic.LongAdder();

    private CompiledNetwork(OrtEnvironment env, OrtSession session, int threads, String[] inputNames) {
        this.env = env;
        this.session = session;
        this.threads = threads;
        this.inputNames = inputNames;
    }

    /**
     * Compiles a graph whose inputs are named in the order {@link #run} receives them; the first is the float
     * image batch, the second float per-image rows, the third int64 per-image labels.
     */
    public static CompiledNetwork compile(byte[] onnx, int threads, String... inputNames) {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                o.setIntraOpNumThreads(1);
                o.setInterOpNumThreads(1);
                return new CompiledNetwork(env, env.createSession(onnx, o), Math.max(1, threads), inputNames);
            }
        } catch (OrtException e) {
            throw new FlowbenchException("ONNX Runtime cannot compile the network: " + e.getMessage(), null, e);
        }
    }

    /**
     * Threads for network calls: {@code -Dflowbench.threads}, else the environment's {@code FLOWBENCH_THREADS}, else
     * DJL's {@code ai.djl.pytorch.num_threads} (the knob of the op-by-op path), else the available processors.
     */
    public static int defaultThreads() {
        String env = System.getenv("FLOWBENCH_THREADS");
        int fallback = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        if (env != null && !env.isBlank()) {
            try {
                fallback = Integer.parseInt(env.trim());
            } catch (NumberFormatException e) {
                throw new FlowbenchException("FLOWBENCH_THREADS must be a whole number, not '" + env + "'");
            }
        }
        return Math.max(1, Integer.getInteger("flowbench.threads", fallback));
    }

    public int threads() {
        return threads;
    }

    /** What runs the network, for manifests and logs. */
    public String describe() {
        return "onnxruntime " + env.getVersion() + ", " + threads + (threads == 1 ? " thread" : " threads over the batch");
    }

    /**
     * One forward pass: x is n images of {@code imageDims}, rows n × rowWidth floats, labels n int64s; returns the
     * output's n images.
     */
    public float[] run(float[] x, long[] imageDims, float[] rows, int rowWidth, long[] labels, int n) {
        long t0 = System.nanoTime();
        try {
            return runSplit(x, imageDims, rows, rowWidth, labels, n);
        } finally {
            busyNanos.add(System.nanoTime() - t0);
        }
    }

    /** Wall time spent in {@link #run} so far (the network's share of a run, for overhead measurements). */
    public double busySeconds() {
        return busyNanos.sum() / 1e9;
    }

    private float[] runSplit(float[] x, long[] imageDims, float[] rows, int rowWidth, long[] labels, int n) {
        int d = x.length / n;
        float[] out = new float[x.length];
        int parts = Math.min(threads, n);
        if (parts == 1) {
            runPart(x, imageDims, rows, rowWidth, labels, 0, n, d, out);
            return out;
        }
        ExecutorService pool = pool(Thread.currentThread().getPriority());
        List<Future<?>> rest = new ArrayList<>();
        int from = 0;
        int firstEnd = 0;
        for (int p = 0; p < parts; p++) {
            int count = n / parts + (p < n % parts ? 1 : 0);
            final int a = from;
            if (p == 0) {
                firstEnd = count;
            } else {
                rest.add(pool.submit(() -> runPart(x, imageDims, rows, rowWidth, labels, a, count, d, out)));
            }
            from += count;
        }
        runPart(x, imageDims, rows, rowWidth, labels, 0, firstEnd, d, out);
        for (Future<?> f : rest) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FlowbenchException("network call interrupted", null, e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new FlowbenchException("network call failed: " + e.getCause(), null, e.getCause());
            }
        }
        return out;
    }

    private void runPart(float[] x, long[] imageDims, float[] rows, int rowWidth, long[] labels, int from, int count,
                         int d, float[] out) {
        long[] xShape = new long[imageDims.length + 1];
        xShape[0] = count;
        System.arraycopy(imageDims, 0, xShape, 1, imageDims.length);
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            in.put(inputNames[0], OnnxTensor.createTensor(env, FloatBuffer.wrap(x, from * d, count * d), xShape));
            in.put(inputNames[1], OnnxTensor.createTensor(env,
                    FloatBuffer.wrap(rows, from * rowWidth, count * rowWidth), new long[] {count, rowWidth}));
            in.put(inputNames[2], OnnxTensor.createTensor(env, LongBuffer.wrap(labels, from, count), new long[] {count}));
            try (OrtSession.Result r = session.run(in)) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                fb.get(out, from * d, count * d);
            }
        } catch (OrtException e) {
            throw new FlowbenchException("compiled network failed: " + e.getMessage(), null, e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static ExecutorService pool(int priority) {
        return POOLS.computeIfAbsent(priority, p -> {
            AtomicInteger count = new AtomicInteger();
            return Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "flowbench-network-" + count.incrementAndGet());
                t.setDaemon(true);
                t.setPriority(p);
                return t;
            });
        });
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // a session that failed half-way: nothing more to free
        }
    }
}
