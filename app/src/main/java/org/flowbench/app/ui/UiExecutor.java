package org.flowbench.app.ui;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/** Where view-model updates run: the FX thread in the app, the calling thread in tests without a toolkit. */
public interface UiExecutor extends Executor {
    UiExecutor FX = r -> {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    };

    UiExecutor DIRECT = Runnable::run;
}
