package io.distill.api.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A caller's JSON object (metadata, options) within the bounds that hold on write and on read:
 * depth, size, keys, and clean text everywhere (see {@link io.distill.model.input.UntrustedInput}).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CleanJson.Check.class)
public @interface CleanJson {
    String message() default "is not an acceptable JSON object";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<CleanJson, Map<String, Object>> {
        @Override
        public boolean isValid(Map<String, Object> value, ConstraintValidatorContext context) {
            return Violations.report(io.distill.model.input.UntrustedInput.problemWithJson(value), context);
        }
    }
}
