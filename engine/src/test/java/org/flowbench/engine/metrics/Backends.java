package org.flowbench.engine.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The linear-algebra backends, for parameterised tests: OpenBLAS (must load on the development machine and CI), pure
 * Java, the GPU backend's row-/column-major mapping over plain-Java column-major kernels, and cuBLAS/cuSOLVER where a
 * GPU and CUDA's libraries are present.
 */
final class Backends {
    private Backends() {}

    static Stream<Linalg> all() {
        List<Linalg> l = new ArrayList<>();
        l.add(Linalg.openBlas().orElseThrow(() -> new AssertionError("OpenBLAS native library did not load")));
        l.add(Linalg.pureJava());
        l.add(new ColumnMajorLinalg("column-major (plain Java)", new ReferenceColumnMajorKernels()));
        Linalg.cuda().ifPresent(l::add);
        return l.stream();
    }
}
