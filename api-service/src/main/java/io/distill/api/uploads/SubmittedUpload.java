package io.distill.api.uploads;

import io.distill.api.jobs.JobOptionsDoc;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The 202 answer to an upload: the job, and what was stored for it (size in bytes, detected format, options as they apply). */
public record SubmittedUpload(
        UUID id,
        String status,
        String location,
        long fileSize,
        String format,
        @Schema(description = JobOptionsDoc.DESCRIPTION) Map<String, Object> options) {}
