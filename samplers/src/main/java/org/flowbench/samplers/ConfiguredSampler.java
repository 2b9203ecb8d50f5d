package org.flowbench.samplers;

/** A sampler's identity and its immutable config, which every sampler carries the same way. */
public abstract class ConfiguredSampler<C extends Record> implements Sampler {
    private final String id;
    private final String version;
    private final C config;

    protected ConfiguredSampler(String id, String version, C config) {
        this.id = id;
        this.version = version;
        this.config = config;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String version() {
        return version;
    }

    @Override
    public final C config() {
        return config;
    }
}
