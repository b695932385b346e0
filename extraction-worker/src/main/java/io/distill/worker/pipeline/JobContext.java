package io.distill.worker.pipeline;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.Source;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.llm.Extraction;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state one job accumulates as it moves through the stages: the claimed row, what LOAD read,
 * the document TEXT_EXTRACT built, the record LLM_EXTRACT produced, and the timings of each stage.
 */
public final class JobContext {
    private final ClaimedJob job;
    private final Map<String, Long> stageMillis = new LinkedHashMap<>();
    private Source source;
    private DocumentModel document;
    private Extraction extraction;
    private long completionSeq;

    public JobContext(ClaimedJob job) {
        this.job = job;
    }

    public ClaimedJob job() {
        return job;
    }

    public Source source() {
        return source;
    }

    public void source(Source source) {
        this.source = source;
    }

    public DocumentModel document() {
        return document;
    }

    public void document(DocumentModel document) {
        this.document = document;
    }

    public Extraction extraction() {
        return extraction;
    }

    public void extraction(Extraction extraction) {
        this.extraction = extraction;
    }

    public long completionSeq() {
        return completionSeq;
    }

    public void completionSeq(long seq) {
        this.completionSeq = seq;
    }

    public Map<String, Long> stageMillis() {
        return stageMillis;
    }

    void recordTiming(String stage, long millis) {
        stageMillis.put(stage, millis);
    }
}
