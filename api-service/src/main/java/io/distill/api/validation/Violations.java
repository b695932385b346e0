package io.distill.api.validation;

import jakarta.validation.ConstraintValidatorContext;

/** Reports a problem sentence as the constraint's message (escaped: it is text, not a message template). */
final class Violations {
    private Violations() {}

    static boolean report(String problem, ConstraintValidatorContext context) {
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        String literal = problem.replace("\\", "\\\\")
                .replace("{", "\\{")
                .replace("}", "\\}")
                .replace("$", "\\$");
        context.buildConstraintViolationWithTemplate(literal).addConstraintViolation();
        return false;
    }
}
