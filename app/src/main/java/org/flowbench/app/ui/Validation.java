package org.flowbench.app.ui;

import java.util.function.Function;
import javafx.scene.control.Control;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.decoration.GraphicValidationDecoration;

/**
 * Input checks shown the way ControlsFX decorates them: an error mark on the field's corner with the reason as its
 * tooltip, and the field's "invalid" style (a red border in both themes), as soon as the text changes.
 */
final class Validation {
    private Validation() {
    }

    /** A support for one form; its decoration marks a field and styles it. */
    static ValidationSupport support() {
        ValidationSupport s = new ValidationSupport();
        s.setValidationDecorator(new GraphicValidationDecoration() {
            @Override
            public void applyValidationDecoration(org.controlsfx.validation.ValidationMessage message) {
                super.applyValidationDecoration(message);
                Control c = message.getTarget();
                if (!c.getStyleClass().contains("invalid")) {
                    c.getStyleClass().add("invalid");
                }
            }

            @Override
            public void removeDecorations(Control target) {
                super.removeDecorations(target);
                target.getStyleClass().remove("invalid");
            }
        });
        return s;
    }

    /** Checks a text field's value with {@code errorOf} (the reason, or null when the value is fine). */
    static void check(ValidationSupport support, Control field, Function<String, String> errorOf) {
        support.registerValidator(field, false, (Control c, String value) -> {
            String why = errorOf.apply(value);
            return ValidationResult.fromErrorIf(c, why == null ? "" : why, why != null);
        });
    }
}
