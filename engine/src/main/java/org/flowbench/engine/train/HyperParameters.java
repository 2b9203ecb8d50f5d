package org.flowbench.engine.train;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/** A config record's components by name: hyper-parameters serialised from the object itself, never retyped. */
final class HyperParameters {
    private HyperParameters() {}

    static Map<String, Object> of(Record r, String optimizer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }
}
