package io.distill.worker.llm;

import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;

/** One job's extraction: the job (attempt, options), the project version it runs with, and its usage tally. */
public record ExtractionRequest(ClaimedJob job, Project project, LlmUsage usage) {
}
