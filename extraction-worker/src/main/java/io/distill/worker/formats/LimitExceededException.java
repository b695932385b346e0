package io.distill.worker.formats;

/** A document over one of the extraction limits (size, pages, text, nesting): a validation error, not a crash. */
public class LimitExceededException extends RuntimeException {
    public LimitExceededException(String message) {
        super(message);
    }
}
