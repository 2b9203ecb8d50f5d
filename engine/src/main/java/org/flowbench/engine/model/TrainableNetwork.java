package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * A built-in velocity network that can be fine-tuned: its architecture, its weights, its velocity with other
 * parameters (a student being trained), and a model made from new weights.
 */
public interface TrainableNetwork {
    /** The architecture id (flow-unet-v1, velocity-mlp/1). */
    String architecture();

    /** The architecture's configuration as written in a package manifest. */
    Map<String, Object> architectureConfig();

    /** The weights the model was built from (not to be modified). */
    ParamStore weights();

    int[] shape();

    List<String> classNames();

    /** Velocity for states x ([n, shape...], caller's manager) with parameters p, per-state times and classes. */
    NDArray velocity(NDParams p, NDArray x, double[] t, Condition[] c);

    /** The same architecture with other weights, as a model (hash computed from the weights). */
    FlowModel withWeights(String id, ParamStore weights);
}
