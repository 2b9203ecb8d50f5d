package org.flowbench.engine.train;

import java.nio.file.Path;

/** Options shared by the training recipes ({@code flowbench train ...}). */
public record Recipe(Path data, Path out, long steps, int batch, long seed, double lr, int warmup, double ema,
                     boolean resume, double checkpointSeconds, String command, String gitCommit) {
    public Path checkpoint() {
        return out.resolve("checkpoint.safetensors");
    }
}
