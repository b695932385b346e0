package io.distill.worker.llm;

import io.distill.worker.formats.DocumentModel;

/** Turns a document into a structured record. The seam where the LLM provider plugs in. */
public interface Extractor {

    /** The name recorded with each result, so nobody mistakes one extractor's output for another's. */
    String name();

    /** Whether this extractor calls a paid model (budgets apply) or not. */
    boolean usesProvider();

    /** Extracts the record the request's project asks for; usage is added to the request's tally as calls are made. */
    Extraction extract(DocumentModel document, ExtractionRequest request);
}
