package io.distill.api.jobs;

import java.util.List;

/** One page of a user's jobs, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<JobSummary> items, String nextCursor) {}
