package io.distill.model.files;

/** An upload Distill will not take, with the reason for the person who sent it (HTTP 415). */
public class UnsupportedFileException extends RuntimeException {
    public UnsupportedFileException(String reason) {
        super(reason);
    }
}
