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
 * {@link Linalg} on an NVIDIA GPU: cuBLAS {@code dsyrk}/{@code dgemm} and cuSOLVER {@code dsyevd}/{@code dpotrf}
 * through JavaCPP's CUDA preset, in double precision like the CPU backends (so a GPU FID equals the CPU one to about
 * 1e-10 relative). The preset's bridges link against the CUDA libraries installed on the machine; where they or a GPU
 * are missing, {@link #instance()} is empty and says why ({@link #unavailableReason()}), and the metrics stay on the CPU.
 *
 * <p>Matrices are row-major on the Java side and column-major in cuBLAS: a row-major matrix is its column-major
 * transpose, so each call swaps triangles or operands instead of transposing data (eigenvectors excepted).
 * Calls are synchronised: one cuBLAS and one cuSOLVER handle serve the process.
 */
final class CudaLinalg implements Linalg {
    private static final Logger LOG = LoggerFactory.getLogger(CudaLinalg.class);
    private static volatile String unavailable = "not tried";

    private static final class Holder {
        static final CudaLinalg INSTANCE = load();
    }

    private final cublasContext blas;
    private final cusolverDnContext solver;
    private final int device;

    private CudaLinalg(cublasContext blas, cusolverDnContext solver, int device) {
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

    private static CudaLinalg load() {
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
            CudaLinalg l = new CudaLinalg(b, s, device);
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
    public String name() {
        return "cuda";
    }

    @Override
    public synchronized void syrkUpper(double[] a, int k, int n, double[] c) {
        if (k == 0) {
            return;
        }
        try (Device da = Device.of(a); Device dc = Device.of(c); DoublePointer one = new DoublePointer(1.0)) {
            // row-major A (k × n) is column-major Aᵀ (n × k): C += Aᵀ A, the row-major upper = column-major lower
            checkLib(cublas.cublasDsyrk_v2(blas, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_N, n, k, one, da.p, n, one, dc.p, n),
                    "cublasDsyrk");
            dc.download(c);
        }
    }

    @Override
    public synchronized void gemm(double[] a, double[] b, double[] c, int m, int k, int n) {
        try (Device da = Device.of(a); Device db = Device.of(b); Device dc = Device.empty(c.length);
                DoublePointer one = new DoublePointer(1.0); DoublePointer zero = new DoublePointer(0.0)) {
            // row-major C = A B is column-major Cᵀ = Bᵀ Aᵀ
            checkLib(cublas.cublasDgemm_v2(blas, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, one, db.p, n, da.p, k, zero, dc.p, n),
                    "cublasDgemm");
            dc.download(c);
        }
    }

    @Override
    public synchronized void eigh(double[] a, int n, double[] w, boolean vectors) {
        if (n == 0) {
            return;
        }
        int jobz = vectors ? cusolver.CUSOLVER_EIG_MODE_VECTOR : cusolver.CUSOLVER_EIG_MODE_NOVECTOR;
        try (Device da = Device.of(a); Device dw = Device.empty(n); Device info = Device.empty(1)) {
            int[] lwork = new int[1];
            try (IntPointer lw = new IntPointer(1)) {
                // the row-major upper triangle is the column-major lower one
                checkLib(cusolver.cusolverDnDsyevd_bufferSize(solver, jobz, CUBLAS_FILL_MODE_LOWER, n, da.p, n, dw.p, lw),
                        "cusolverDnDsyevd_bufferSize");
                lwork[0] = lw.get();
            }
            try (Device work = Device.empty(Math.max(1, lwork[0]))) {
                checkLib(cusolver.cusolverDnDsyevd(solver, jobz, CUBLAS_FILL_MODE_LOWER, n, da.p, n, dw.p, work.p,
                        lwork[0], info.ints()), "cusolverDnDsyevd");
            }
            int status = info.infoValue();
            if (status != 0) {
                throw new ArithmeticException("cusolverDnDsyevd failed, info = " + status);
            }
            dw.download(w);
            if (vectors) {
                da.download(a);
                transpose(a, n); // column-major eigenvectors → a[i*n + j] = U_ij
            }
        }
    }

    @Override
    public synchronized boolean cholesky(double[] a, int n) {
        try (Device da = Device.of(a); Device info = Device.empty(1)) {
            int lwork;
            try (IntPointer lw = new IntPointer(1)) {
                // row-major lower = column-major upper: A = Uᵀ U there, and U read row-major is L
                checkLib(cusolver.cusolverDnDpotrf_bufferSize(solver, CUBLAS_FILL_MODE_UPPER, n, da.p, n, lw),
                        "cusolverDnDpotrf_bufferSize");
                lwork = lw.get();
            }
            try (Device work = Device.empty(Math.max(1, lwork))) {
                checkLib(cusolver.cusolverDnDpotrf(solver, CUBLAS_FILL_MODE_UPPER, n, da.p, n, work.p, lwork,
                        info.ints()), "cusolverDnDpotrf");
            }
            if (info.infoValue() != 0) {
                return false;
            }
            da.download(a);
        }
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0.0);
        }
        return true;
    }

    @Override
    public synchronized void lowerSandwich(double[] l, double[] g, double[] out, int n) {
        // column-major: P = Lᵀ (l's memory), Q = Gᵀ; row-major out = Lᵀ G L is column-major P Q Pᵀ
        try (Device p = Device.of(l); Device q = Device.of(g); Device t = Device.empty((long) n * n);
                Device o = Device.empty((long) n * n); DoublePointer one = new DoublePointer(1.0);
                DoublePointer zero = new DoublePointer(0.0)) {
            checkLib(cublas.cublasDgemm_v2(blas, CUBLAS_OP_N, CUBLAS_OP_T, n, n, n, one, q.p, n, p.p, n, zero, t.p, n),
                    "cublasDgemm");
            checkLib(cublas.cublasDgemm_v2(blas, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, one, p.p, n, t.p, n, zero, o.p, n),
                    "cublasDgemm");
            o.download(out);
        }
    }

    private static void transpose(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double x = a[i * n + j];
                a[i * n + j] = a[j * n + i];
                a[j * n + i] = x;
            }
        }
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
        return "cuda:" + device;
    }

}
