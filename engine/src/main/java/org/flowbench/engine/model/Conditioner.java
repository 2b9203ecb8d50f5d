package org.flowbench.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flowbench.engine.FlowbenchException;

/** Maps a prompt to a class label; the empty prompt is unconditional. */
public interface Conditioner {
    /** The label for {@code prompt}, {@link FlowModel#UNCONDITIONAL} for an empty one; an error lists what it understands. */
    int label(String prompt);

    /** Prompts this conditioner understands, for help and pickers. */
    List<String> prompts();

    /**
     * The model's prompt file when one fits its classes (Fashion-MNIST: {@code sample-prompts/fashion-mnist.json}),
     * else its class names (and "class N"), matched without case.
     */
    static Conditioner forModel(FlowModel model) {
        List<String> names = model.classNames();
        java.nio.file.Path promptFile = PromptConditioner.promptFileFor(names);
        if (promptFile != null) {
            return PromptConditioner.read(promptFile);
        }
        return new Conditioner() {
            @Override
            public int label(String prompt) {
                String p = prompt == null ? "" : prompt.trim().toLowerCase(Locale.ROOT);
                if (p.isEmpty()) {
                    return FlowModel.UNCONDITIONAL;
                }
                for (int c = 0; c < names.size(); c++) {
                    if (names.get(c).toLowerCase(Locale.ROOT).equals(p) || p.equals("class " + c)) {
                        return c;
                    }
                }
                if (names.isEmpty()) {
                    throw new FlowbenchException("model " + model.id() + " is unconditional and takes no prompt",
                            "leave the prompt empty");
                }
                throw new FlowbenchException("prompt '" + prompt + "' is not understood by " + model.id(),
                        "try one of: " + String.join(", ", prompts()));
            }

            @Override
            public List<String> prompts() {
                return new ArrayList<>(names);
            }
        };
    }
}
