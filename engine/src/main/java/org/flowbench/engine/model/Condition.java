package org.flowbench.engine.model;

import org.flowbench.engine.FlowbenchException;

/**
 * What one image is conditioned on: nothing (the null class of classifier-free guidance) or a class. Later kinds
 * (text embeddings, token context) join this sealed family. The {@code double[]} adapter of {@link FlowModel}
 * encodes a condition as an int ({@link #labelIndex}: the class, or −1 for none).
 */
public sealed interface Condition permits Condition.Unconditional, Condition.ClassLabel {
    /** No condition: the unconditional model. */
    Condition NONE = Unconditional.INSTANCE;

    /** The class index, or −1 for no class. */
    int labelIndex();

    static Condition label(int index) {
        return index < 0 ? NONE : new ClassLabel(index);
    }

    /** Conditions for n images from int labels (null: all unconditional). */
    static Condition[] of(int[] labels, int n) {
        Condition[] c = new Condition[n];
        for (int i = 0; i < n; i++) {
            c[i] = labels == null ? NONE : label(labels[i]);
        }
        return c;
    }

    /** The int encoding of the {@code double[]} adapter. */
    static int[] labels(Condition[] conditions) {
        int[] l = new int[conditions.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = conditions[i].labelIndex();
        }
        return l;
    }

    /** The unconditional model. */
    enum Unconditional implements Condition {
        INSTANCE;

        @Override
        public int labelIndex() {
            return -1;
        }
    }

    /** Class {@code index} of the model's class list. */
    record ClassLabel(int index) implements Condition {
        public ClassLabel {
            if (index < 0) {
                throw new FlowbenchException("a class index must be non-negative, got " + index);
            }
        }

        @Override
        public int labelIndex() {
            return index;
        }
    }
}
