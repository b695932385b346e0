package io.distill.worker.formats;

/** The document cannot be read as its format (corrupt, truncated, encrypted): a validation error. */
public class InvalidDocumentException extends RuntimeException {
    public InvalidDocumentException(String message) {
        super(message);
    }

    public InvalidDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
