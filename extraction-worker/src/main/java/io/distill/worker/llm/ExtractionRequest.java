package io.distill.worker.llm;

import io.distill.model.jobs.JobOptions;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;

/** One job's extraction: the job (attempt, metadata), its options, the project version it runs with, and its usage tally. */
public record ExtractionRequest(ClaimedJob job, JobOptions options, Project project, LlmUsage usage) {

    /** A job with the default options. */
    public ExtractionRequest(ClaimedJob job, Project project, LlmUsage usage) {
        this(job, JobOptions.DEFAULTS, project, usage);
    }
}
