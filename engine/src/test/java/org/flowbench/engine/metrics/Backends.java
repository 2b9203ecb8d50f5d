package org.flowbench.engine.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Both linear-algebra backends, for parameterised tests. OpenBLAS must load on the development machine and CI. */
final class Backends {
    private Backends() {}

    static Stream<Linalg> all() {
        List<Linalg> l = new ArrayList<>();
        l.add(Linalg.openBlas().orElseThrow(() -> new AssertionError("OpenBLAS native library did not load")));
        l.add(Linalg.pureJava());
        return l.stream();
    }
}
