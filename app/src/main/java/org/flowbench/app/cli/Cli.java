package org.flowbench.app.cli;

import java.io.IOException;
import org.flowbench.engine.io.Json;

/** Small helpers shared by the commands. */
final class Cli {
    private Cli() {
    }

    /** A value as the JSON a command prints for {@code --json}. */
    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
