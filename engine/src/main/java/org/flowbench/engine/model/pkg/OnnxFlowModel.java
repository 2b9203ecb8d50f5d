package org.flowbench.engine.model.pkg;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.flowbench.engine.FlowbenchException;

/**
 * An external ONNX network (package architecture {@code onnx}), run by ONNX Runtime on the CPU or, while models run on
 * a GPU, its CUDA provider. Inputs are matched by name: {@code x} and {@code t} are required, {@code labels} is passed
 * when the graph declares it (an unconditional network may leave it out); the first output is the prediction.
 */
public final class OnnxFlowModel extends ExternalFlowModel {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean takesLabels;
    private final String device;

    OnnxFlowModel(String id, ModelPackage p) {
        super(id, p);
        Path file = networkFile(p, "ONNX");
        try {
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            device = onDevice(options);
            session = env.createSession(file.toAbsolutePath().toString(), options);
        } catch (OrtException | RuntimeException | LinkageError e) {
            throw new FlowbenchException("cannot load ONNX network " + file + ": " + e.getMessage(),
                    "the file must be an ONNX model (e.g. torch.onnx.export) with inputs x, t and optionally labels", e);
        }
        Set<String> names = session.getInputNames();
        if (!names.contains("x") || !names.contains("t")) {
            close();
            throw new FlowbenchException("ONNX network " + file + " has inputs " + names
                    + "; the declared signature needs inputs named x and t (and optionally labels)");
        }
        takesLabels = names.contains("labels");
        probe();
    }

    /**
     * While models run on a GPU, ONNX Runtime's CUDA provider (the CUDA build's onnxruntime_gpu; it needs the
     * machine's CUDA 12 and cuDNN 9 libraries); where it cannot load, the network runs on the CPU and says so.
     */
    private static String onDevice(OrtSession.SessionOptions options) {
        if (!org.flowbench.engine.device.Devices.currentIsGpu()) {
            return "cpu";
        }
        String gpu = org.flowbench.engine.device.Devices.currentName();
        try {
            options.addCUDA(Integer.parseInt(gpu.substring(4)));
            return gpu;
        } catch (OrtException | RuntimeException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(OnnxFlowModel.class).warn(
                    "ONNX Runtime cannot use {} ({}); this ONNX network runs on the CPU", gpu, e.getMessage());
            return "cpu";
        }
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    synchronized float[] run(float[] x, long[] xShape, float[] t, long[] labels, int n) {
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            in.put("x", OnnxTensor.createTensor(env, FloatBuffer.wrap(x), xShape));
            in.put("t", OnnxTensor.createTensor(env, FloatBuffer.wrap(t), new long[] {n}));
            if (takesLabels) {
                in.put("labels", OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[] {n}));
            }
            try (OrtSession.Result r = session.run(in)) {
                if (!(r.get(0) instanceof OnnxTensor out)) {
                    throw new FlowbenchException("ONNX network " + id() + " does not return a tensor");
                }
                FloatBuffer fb = out.getFloatBuffer();
                if (fb == null) {
                    throw new FlowbenchException("ONNX network " + id() + " returns " + out.getInfo().type
                            + ", not float32");
                }
                float[] v = new float[fb.remaining()];
                fb.get(v);
                return v;
            }
        } catch (OrtException e) {
            throw new FlowbenchException("ONNX network " + id() + " failed: " + e.getMessage(), null, e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session that failed to start: nothing left to free
        }
    }
}
