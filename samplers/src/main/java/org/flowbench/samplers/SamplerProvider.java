package org.flowbench.samplers;

import java.util.List;

/**
 * A method family's samplers, discovered by {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/org.flowbench.samplers.SamplerProvider}), so that the registry names no family and a new
 * family is added without touching it.
 */
public interface SamplerProvider {
    List<SamplerRegistry.Entry> samplers();
}
