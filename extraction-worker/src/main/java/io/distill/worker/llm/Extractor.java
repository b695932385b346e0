package io.distill.worker.llm;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.jobs.ClaimedJob;

import java.util.Set;

/** Turns a document into a structured record. The seam where the LLM provider plugs in. */
public interface Extractor {

    /** The name recorded with each result, so nobody mistakes one extractor's output for another's. */
    String name();

    /** Fields every record of this extractor must carry: what VALIDATE checks. */
    Set<String> requiredFields();

    /** Extracts the record; the job gives its options and which attempt this is. */
    Extraction extract(DocumentModel document, ClaimedJob job);
}
