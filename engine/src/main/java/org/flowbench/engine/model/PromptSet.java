package org.flowbench.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flowbench.engine.FlowbenchException;

/**
 * The prompts of a run, as a cycle over absolute image indices, so that image i's class never depends on the batch
 * or the slice it is computed in: the empty prompt (every image unconditional), {@code all} (every class in turn:
 * image i gets class i mod C, classes balanced), one prompt, or a comma-separated list of prompts in turn.
 *
 * @param text what the user wrote
 * @param cycle image i gets {@code cycle[i mod cycle.length]} (−1: unconditional)
 * @param description for manifests, run records and the window
 */
public record PromptSet(String text, int[] cycle, String description) {
    /** The keyword for "every class in turn". */
    public static final String ALL = "all";

    public PromptSet {
        cycle = cycle.clone();
    }

    /** Parses {@code prompt} for {@code model} (its classes and prompt file); one clear error for a prompt it lacks. */
    public static PromptSet parse(String prompt, FlowModel model) {
        String p = prompt == null ? "" : prompt.trim();
        if (p.isEmpty()) {
            return new PromptSet("", new int[] {FlowModel.UNCONDITIONAL}, "unconditional (no prompt)");
        }
        int classes = model.classNames().size();
        if (p.equalsIgnoreCase(ALL)) {
            if (classes == 0) {
                throw new FlowbenchException("model " + model.id() + " has no classes, so prompt 'all' means nothing",
                        "leave the prompt empty");
            }
            int[] c = new int[classes];
            for (int k = 0; k < classes; k++) {
                c[k] = k;
            }
            return new PromptSet(ALL, c, "all " + classes + " classes in turn (image i gets class i mod " + classes
                    + ")");
        }
        Conditioner conditioner = Conditioner.forModel(model);
        List<Integer> labels = new ArrayList<>();
        for (String part : p.split(",")) {
            if (!part.isBlank()) {
                labels.add(conditioner.label(part.trim()));
            }
        }
        int[] c = labels.stream().mapToInt(Integer::intValue).toArray();
        String d = c.length == 1 ? "prompt '" + p + "' (class " + c[0] + ")"
                : c.length + " prompts in turn (image i gets prompt i mod " + c.length + ": classes "
                        + Arrays.toString(c) + ")";
        return new PromptSet(p, c, d);
    }

    /** The class of absolute image {@code image}. */
    public int label(long image) {
        return cycle[(int) Math.floorMod(image, (long) cycle.length)];
    }

    public boolean unconditional() {
        return Arrays.stream(cycle).allMatch(l -> l < 0);
    }

    /** The classes of images {@code first .. first + n - 1}. */
    public int[] labels(long first, int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = label(first + i);
        }
        return l;
    }
}
