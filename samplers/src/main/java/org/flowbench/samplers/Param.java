package org.flowbench.samplers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Metadata of one sampler parameter, on a component of the sampler's config record. The UI builds its property
 * sheet from it, the CLI parses {@code --param name=value} with it, and project files store values by this name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Param {
    /** The stable name (kebab-case), e.g. "steps", "ess-threshold". */
    String name();

    /** Default value, as text. */
    String dflt();

    String description();

    /** Inclusive numeric range; ignored for text and boolean parameters. */
    double min() default Double.NEGATIVE_INFINITY;

    double max() default Double.POSITIVE_INFINITY;

    /** Allowed values of a text parameter; empty = free text. */
    String[] choices() default {};

    /**
     * Names this parameter had in earlier sampler versions: values saved under them (project files, scripts) load
     * as this parameter. A rename bumps the sampler's version and adds the old name here; names are never reused.
     */
    String[] formerNames() default {};
}
