package io.distill.worker.formats;

import java.io.IOException;
import java.util.Set;

/** Turns a source into a {@link DocumentModel}; one implementation per format package. */
public interface FormatExtractor {

    /** The format names (as stored in {@code extraction_jobs.format}) this extractor reads. */
    Set<String> formats();

    /**
     * Extracts, within the limits. Unreadable input throws {@link InvalidDocumentException},
     * a document over a limit {@link LimitExceededException}.
     */
    DocumentModel extract(Source source, ExtractionLimits limits) throws IOException;
}
