package io.distill.api.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** {@code POST /api/jobs}: a raw message to extract from, with the caller's own metadata. */
public record SubmitMessageRequest(
        @NotBlank(message = "is required and must not be blank")
        @Size(max = 1_000_000, message = "must be at most 1,000,000 characters")
        String text,
        Map<String, Object> metadata,
        Map<String, Object> options,
        @Min(value = 0, message = "must be at least 0") @Max(value = 10, message = "must be at most 10")
        Integer maxRetries,
        /* a project id, or a built-in template name (news-event, broker-report, drawing, generic) */
        String project) {
}
