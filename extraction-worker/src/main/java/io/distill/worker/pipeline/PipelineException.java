package io.distill.worker.pipeline;

import io.distill.model.ErrorClass;

/** A stage's classified failure: the class decides retry or not, the detail is shown to the user. */
public class PipelineException extends RuntimeException {
    private final ErrorClass errorClass;

    public PipelineException(ErrorClass errorClass, String detail) {
        super(detail);
        this.errorClass = errorClass;
    }

    public PipelineException(ErrorClass errorClass, String detail, Throwable cause) {
        super(detail, cause);
        this.errorClass = errorClass;
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public String reason() {
        return errorClass.reason(getMessage());
    }
}
