package org.flowbench.app.ui;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.samplers.Configs;
import org.flowbench.samplers.ParamSpec;

/** One sampler parameter in the property sheet: its text, validated against the range on every change. */
public final class ParamViewModel {
    private final ParamSpec spec;
    private final StringProperty text = new SimpleStringProperty();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();

    public ParamViewModel(ParamSpec spec, String value) {
        this.spec = spec;
        text.addListener((o, a, b) -> validate());
        text.set(value == null ? spec.defaultValue() : value);
        validate();
    }

    private void validate() {
        error.set(errorOf(spec, text.get()));
    }

    /** Why {@code text} is not a value of the parameter, or null when it is. */
    static String errorOf(ParamSpec spec, String text) {
        try {
            Configs.parse(spec, text);
            return null;
        } catch (FlowbenchException e) {
            return e.oneLine();
        }
    }

    public ParamSpec spec() {
        return spec;
    }

    public StringProperty textProperty() {
        return text;
    }

    public String text() {
        return text.get();
    }

    /** The validation message, or null when the value is allowed. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public boolean isValid() {
        return error.get() == null;
    }

    /** Whether the value equals the default (compared as values: "7.0" is the default "7"). */
    public boolean isDefault() {
        String t = text.get() == null ? "" : text.get().trim();
        if (spec.defaultValue().equals(t)) {
            return true;
        }
        try {
            return java.util.Objects.equals(Configs.parse(spec, t), Configs.parse(spec, spec.defaultValue()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Tooltip: description and allowed values. */
    public String help() {
        return spec.description() + " — " + spec.rangeText() + " (default " + (spec.defaultValue().isEmpty() ? "empty"
                : spec.defaultValue()) + ")";
    }
}
