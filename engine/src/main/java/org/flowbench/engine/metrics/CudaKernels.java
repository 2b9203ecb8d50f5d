package org.flowbench.engine.metrics;

import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_LOWER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_UPPER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;

import java.util.Optional;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cusolver.cusolverDnContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cusolver;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU's column-major kernels for {@link ColumnMajorLinalg}: cuBLAS {@code dsyrk}/{@code dgemm} and cuSOLVER
 * {@code dsyevd}/{@code dpotrf} through JavaCPP's CUDA preset, in double precision like the CPU backends (so a GPU
 * FID equals the CPU one to rounding). Each call copies its operands to the device and its result back. The preset's
 * bridges link against the CUDA libraries installed on the machine; where they or a GPU are missing,
 * {@link #instance()} is empty and says why ({@link #unavailableReason()}), and the metrics stay on the CPU.
 * Calls are synchronised: one cuBLAS and one cuSOLVER handle serve the process.
 */
final class CudaKernels implements ColumnMajorKernels {
    private static final Logger LOG = LoggerFactory.getLogger(CudaKernels.class);
    private static volatile String unavailable = "not tried";

    private static final class Holder {
        static final Linalg INSTANCE = load();
    }

    private final cublasContext blas;
    private final cusolverDnContext solver;
    private final int device;

    private CudaKernels(cublasContext blas, cusolverDnContext solver, int device) {
        this.blas = blas;
        this.solver = solver;
        this.device = device;
    }

    static Optional<Linalg> instance() {
        return Optional.ofNullable(Holder.INSTANCE);
    }

    /** Why there is no GPU backend ("no NVIDIA driver", "libcublas.so.13 not found", ...), or null when there is. */
    static String unavailableReason() {
        instance();
        return unavailable;
    }

    private static Linalg load() {
        try {
            Loader.load(cudart.class);
            int[] count = new int[1];
            int rc = cudart.cudaGetDeviceCount(count);
            if (rc != 0 || count[0] == 0) {
                unavailable = rc != 0 ? "CUDA runtime: " + error(rc) : "no CUDA device";
                return null;
            }
            Loader.load(cublas.class);
            Loader.load(cusolver.class);
            int device = gpuOfTheModels();
            check(cudart.cudaSetDevice(device), "cudaSetDevice");
            cublasContext b = new cublasContext();
            checkLib(cublas.cublasCreate_v2(b), "cublasCreate");
            cusolverDnContext s = new cusolverDnContext();
            checkLib(cusolver.cusolverDnCreate(s), "cusolverDnCreate");
            Linalg l = new ColumnMajorLinalg("cuda", new CudaKernels(b, s, device));
            // Smoke test: a 2 x 2 eigen-solve, so a broken installation is caught here and not mid-metric.
            double[] a = {2, 1, 1, 2};
            double[] w = new double[2];
            l.eigh(a, 2, w, false);
            if (Math.abs(w[0] - 1) > 1e-12 || Math.abs(w[1] - 3) > 1e-12) {
                unavailable = "self-test failed: eigenvalues " + w[0] + ", " + w[1];
                return null;
            }
            unavailable = null;
            LOG.info("FID linear algebra on the GPU (cuBLAS / cuSOLVER, device {})", device);
            return l;
        } catch (Throwable t) {
            unavailable = reason(t);
            LOG.debug("No GPU linear algebra: {}", unavailable);
            return null;
        }
    }

    /**
     * The GPU the models run on, else 0. The device-check bundle (scripts/device-check.sh) runs this class without
     * DJL on the class path, where asking {@code Devices} fails to link: that also means GPU 0.
     */
    private static int gpuOfTheModels() {
        try {
            return org.flowbench.engine.device.Devices.currentIsGpu()
                    ? Integer.parseInt(org.flowbench.engine.device.Devices.currentName().substring(4)) : 0;
        } catch (LinkageError e) {
            return 0;
        }
    }

    @Override
    public synchronized void syrk(boolean lower, int n, int k, double[] a, double[] c) {
        try (Device da = Device.of(a); Device dc = Device.of(c); DoublePointer one = new DoublePointer(1.0)) {
            checkLib(cublas.cublasDsyrk_v2(blas, fill(lower), CUBLAS_OP_N, n, k, one, da.p, n, one, dc.p, n),
                    "cublasDsyrk");
            dc.download(c);
        }
    }

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda,
            double[] b, int ldb, double[] c) {
        try (Device da = Device.of(a); Device db = Device.of(b); Device dc = Device.empty((long) m * n);
                DoublePointer one = new DoublePointer(1.0); DoublePointer zero = new DoublePointer(0.0)) {
            checkLib(cublas.cublasDgemm_v2(blas, transA ? CUBLAS_OP_T : CUBLAS_OP_N, transB ? CUBLAS_OP_T : CUBLAS_OP_N,
                    m, n, k, one, da.p, lda, db.p, ldb, zero, dc.p, m), "cublasDgemm");
            dc.download(c);
        }
    }

    @Override
    public synchronized int syevd(boolean vectors, boolean lower, int n, double[] a, double[] w) {
        int jobz = vectors ? cusolver.CUSOLVER_EIG_MODE_VECTOR : cusolver.CUSOLVER_EIG_MODE_NOVECTOR;
        try (Device da = Device.of(a); Device dw = Device.empty(n); Device info = Device.empty(1);
                IntPointer lw = new IntPointer(1)) {
            checkLib(cusolver.cusolverDnDsyevd_bufferSize(solver, jobz, fill(lower), n, da.p, n, dw.p, lw),
                    "cusolverDnDsyevd_bufferSize");
            try (Device work = Device.empty(Math.max(1, lw.get()))) {
                checkLib(cusolver.cusolverDnDsyevd(solver, jobz, fill(lower), n, da.p, n, dw.p, work.p, lw.get(),
                        info.ints()), "cusolverDnDsyevd");
            }
            int status = info.infoValue();
            if (status == 0) {
                dw.download(w);
                if (vectors) {
                    da.download(a);
                }
            }
            return status;
        }
    }

    @Override
    public synchronized int potrf(boolean lower, int n, double[] a) {
        try (Device da = Device.of(a); Device info = Device.empty(1); IntPointer lw = new IntPointer(1)) {
            checkLib(cusolver.cusolverDnDpotrf_bufferSize(solver, fill(lower), n, da.p, n, lw),
                    "cusolverDnDpotrf_bufferSize");
            try (Device work = Device.empty(Math.max(1, lw.get()))) {
                checkLib(cusolver.cusolverDnDpotrf(solver, fill(lower), n, da.p, n, work.p, lw.get(), info.ints()),
                        "cusolverDnDpotrf");
            }
            int status = info.infoValue();
            if (status == 0) {
                da.download(a);
            }
            return status;
        }
    }

    private static int fill(boolean lower) {
        return lower ? CUBLAS_FILL_MODE_LOWER : CUBLAS_FILL_MODE_UPPER;
    }

    /** A buffer of doubles in device memory, freed on close. */
    private static final class Device implements AutoCloseable {
        final DoublePointer p = new DoublePointer();
        final long length;

        private Device(long length) {
            this.length = length;
            check(cudart.cudaMalloc(p, Math.max(1, length) * Double.BYTES), "cudaMalloc");
        }

        static Device empty(long length) {
            return new Device(length);
        }

        static Device of(double[] host) {
            Device d = new Device(host.length);
            try (DoublePointer h = new DoublePointer(host)) {
                check(cudart.cudaMemcpy(d.p, h, (long) host.length * Double.BYTES, cudart.cudaMemcpyHostToDevice),
                        "cudaMemcpy to the GPU");
            }
            return d;
        }

        void download(double[] host) {
            try (DoublePointer h = new DoublePointer(host.length)) {
                check(cudart.cudaMemcpy(h, p, (long) host.length * Double.BYTES, cudart.cudaMemcpyDeviceToHost),
                        "cudaMemcpy from the GPU");
                h.get(host);
            }
        }

        /** The buffer as an int pointer (cuSOLVER's info word). */
        IntPointer ints() {
            return new IntPointer(p);
        }

        int infoValue() {
            try (IntPointer h = new IntPointer(1)) {
                check(cudart.cudaMemcpy(h, p, Integer.BYTES, cudart.cudaMemcpyDeviceToHost), "cudaMemcpy from the GPU");
                return h.get();
            }
        }

        @Override
        public void close() {
            cudart.cudaFree(p);
        }
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + error(rc));
        }
    }

    private static void checkLib(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed with status " + rc);
        }
    }

    private static String error(int rc) {
        try {
            return cudart.cudaGetErrorString(rc).getString() + " (" + rc + ")";
        } catch (Throwable t) {
            return "error " + rc;
        }
    }

    /**
     * One line for a failed load: the missing library where the linker names it. A preset whose class failed to
     * initialise earlier (NVML's probe loads the CUDA runtime's preset first) only says "Could not initialize class".
     */
    static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsatisfiedLinkError) {
                return "CUDA libraries not loadable (" + firstLine(c.getMessage()) + ")";
            }
        }
        String m = firstLine(t.getMessage());
        if (t instanceof NoClassDefFoundError && m.startsWith("Could not initialize class org.bytedeco.cuda")) {
            return "CUDA libraries not loadable (JavaCPP's CUDA runtime bridge did not load: no CUDA runtime "
                    + "library for it on this machine)";
        }
        return t.getClass().getSimpleName() + ": " + m;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
        return "cuBLAS/cuSOLVER on gpu:" + device;
    }

}
