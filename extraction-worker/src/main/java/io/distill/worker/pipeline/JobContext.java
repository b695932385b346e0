package io.distill.worker.pipeline;

import io.distill.model.ErrorClass;
import io.distill.model.jobs.JobOptions;
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
    private JobOptions options;
    private long seq;
    private int progress;
    private int progressWrites;
    private final io.distill.worker.llm.LlmUsage usage;
    private io.distill.worker.llm.LlmBudget.Reservation reservation;
    private volatile io.distill.model.Stage stage = io.distill.model.Stage.LOAD;
    private volatile long stageDeadline = Long.MAX_VALUE;
    private volatile java.util.concurrent.Future<?> running;
    private volatile boolean leaseLost;
    private final java.util.List<java.nio.file.Path> temporaryFiles = new java.util.ArrayList<>();

    public JobContext(ClaimedJob job) {
        this.job = job;
        this.seq = job.seq();
        this.progress = job.progress();
        this.usage = new io.distill.worker.llm.LlmUsage(job.userId());
        this.reservation = job.reservation();
    }

    /** The number of the attempt's next event: one above the last, within the block its claim reserved. */
    public long nextSeq() {
        return ++seq;
    }

    /** The number of the attempt's last event. */
    public long seq() {
        return seq;
    }

    /** The progress announced so far; it only grows. */
    public int progress() {
        return progress;
    }

    public int raiseProgress(int reached) {
        progress = Math.max(progress, reached);
        return progress;
    }

    /** Progress marks written to the row so far in this attempt (there are at most two). */
    public int progressWrites() {
        return progressWrites;
    }

    public void progressWritten() {
        progressWrites++;
    }

    /** What this attempt spent on the model (settled when the attempt ends). */
    public io.distill.worker.llm.LlmUsage usage() {
        return usage;
    }

    /** What the attempt spent on the model and set aside for it: settled in the transaction that ends the attempt. */
    public io.distill.worker.jobs.JobStore.Spend spend() {
        return new io.distill.worker.jobs.JobStore.Spend(usage.calls(), reservation, usage);
    }

    public io.distill.worker.llm.LlmBudget.Reservation reservation() {
        return reservation;
    }

    public void reservation(io.distill.worker.llm.LlmBudget.Reservation reservation) {
        this.reservation = reservation;
    }

    /**
     * The job's options, as the API checked them on submission. A job stored before options were
     * checked may carry some that cannot be taken: it fails as the caller's error, not ours.
     */
    public JobOptions options() {
        if (options == null) {
            try {
                options = JobOptions.parse(job.options());
            } catch (JobOptions.InvalidOptionsException e) {
                throw PipelineException.permanent(ErrorClass.VALIDATION_ERROR, e.getMessage(), e);
            }
        }
        return options;
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

    /** The stage running now (or the last one, once the job ended): the stage a failure is reported at. */
    public io.distill.model.Stage stage() {
        return stage;
    }

    void stageStarted(io.distill.model.Stage stage, java.time.Duration limit) {
        this.stage = stage;
        this.stageDeadline = System.nanoTime() + limit.toNanos();
    }

    /** Whether the running stage is past its deadline (its lease is then no longer renewed). */
    public boolean pastDeadline() {
        return System.nanoTime() > stageDeadline;
    }

    void running(java.util.concurrent.Future<?> future) {
        this.running = future;
        if (future != null && leaseLost) {
            future.cancel(true);
        }
    }

    /** The job is no longer this worker's (cancelled, or its lease taken over): stop the running stage. */
    public void leaseLost() {
        leaseLost = true;
        java.util.concurrent.Future<?> current = running;
        if (current != null) {
            current.cancel(true);
        }
    }

    public boolean isLeaseLost() {
        return leaseLost;
    }

    public Map<String, Long> stageMillis() {
        return stageMillis;
    }

    void recordTiming(String stage, long millis) {
        stageMillis.put(stage, millis);
    }
}
