package io.distill.worker.formats;

/** Turns a source's bytes into a {@link DocumentModel}; one implementation per format package. */
public interface FormatExtractor {

    /** The format names (as stored in {@code extraction_jobs.format}) this extractor reads. */
    java.util.Set<String> formats();

    DocumentModel extract(byte[] source);
}
