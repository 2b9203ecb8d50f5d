package org.flowbench.app.ui;

import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.KnownDistribution;

/**
 * What the views need to know about the selected model (its error, when it could not be opened), and which samplers
 * cannot run on it, each with the reason ({@code unavailableSamplers}: id → why not).
 */
public record ModelView(String ref, int[] shape, KnownDistribution mixture, List<String> classNames, String hash,
                        String error, Map<String, String> unavailableSamplers) {
    public ModelView {
        unavailableSamplers = unavailableSamplers == null ? Map.of() : Map.copyOf(unavailableSamplers);
    }

    public boolean isImage() {
        return shape != null && shape.length == 3;
    }

    /** Whether sampler {@code id} can run on this model. */
    public boolean offers(String id) {
        return !unavailableSamplers.containsKey(id);
    }
}
