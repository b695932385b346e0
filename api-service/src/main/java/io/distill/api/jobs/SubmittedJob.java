package io.distill.api.jobs;

import java.util.UUID;

/** The 202 answer to a submission. */
public record SubmittedJob(UUID id, String status, String location) {}
