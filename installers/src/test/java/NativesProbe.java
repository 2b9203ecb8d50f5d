import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Smoke probe for a packaged Flowbench: starts the DJL PyTorch engine with the JVM options of the launcher and
 * computes a tiny product, so the test proves the bundled natives load offline. Run in source-file mode:
 * {@code java -cp "APPDIR/*:APPDIR/lib/*" [launcher -D options] NativesProbe.java}. Prints one line:
 * {@code natives-ok <engine version> <library dir> <result>}; exits 1 on a wrong result.
 */
public final class NativesProbe {
    private NativesProbe() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            float sum = a.matMul(a).sum().getFloat(); // [[7,10],[15,22]] -> 54
            String dir = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
            System.out.printf("natives-ok %s %s %.1f %.2fs%n", engine.getVersion(), dir, sum,
                    (System.nanoTime() - t0) / 1e9);
            if (sum != 54f) {
                System.exit(1);
            }
        }
    }
}
