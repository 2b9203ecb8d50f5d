package org.flowbench.app.ui;

import java.util.List;
import org.flowbench.engine.model.KnownDistribution;

/** What the views need to know about the selected model (its error, when it could not be opened). */
public record ModelView(String ref, int[] shape, KnownDistribution mixture, List<String> classNames, String hash,
                        String error) {
    public boolean isImage() {
        return shape != null && shape.length == 3;
    }
}
