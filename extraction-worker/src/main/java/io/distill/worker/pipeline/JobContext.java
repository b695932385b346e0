package io.distill.worker.pipeline;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.Source;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.llm.Extraction;
import io.distill.worker.projects.Project;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state one job accumulates as it moves through the stages: the claimed row, its project, what LOAD read,
 * the document TEXT_EXTRACT built, the record LLM_EXTRACT produced, and the timings of each stage.
 */
public final class JobContext implements AutoCloseable {
    private final ClaimedJob job;
    private final Map<String, Long> stageMillis = new LinkedHashMap<>();
    private Source source;
    private DocumentModel document;
    private Extraction extraction;
    private Project project;
    private long completionSeq;
    private final java.util.List<java.nio.file.Path> temporaryFiles = new java.util.ArrayList<>();

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

    public Project project() {
        return project;
    }

    public void project(Project project) {
        this.project = project;
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

    /** A file that lives only as long as this attempt (a local copy of a remote upload). */
    public void deleteOnClose(java.nio.file.Path file) {
        temporaryFiles.add(file);
    }

    @Override
    public void close() {
        for (java.nio.file.Path file : temporaryFiles) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // a temp file left behind is not worth failing the job for
            }
        }
    }

    public Map<String, Long> stageMillis() {
        return stageMillis;
    }

    void recordTiming(String stage, long millis) {
        stageMillis.put(stage, millis);
    }
}
