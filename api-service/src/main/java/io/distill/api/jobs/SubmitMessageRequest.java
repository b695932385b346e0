package io.distill.api.jobs;

import io.distill.api.validation.CleanJson;
import io.distill.api.validation.CleanText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/jobs}: a raw message to extract from, with the caller's own metadata. */
public record SubmitMessageRequest(
        @NotBlank(message = "is required and must not be blank")
        @Size(max = 1_000_000, message = "must be at most 1,000,000 characters")
        @CleanText
        String text,

        @Schema(
                description =
                        "The caller's data about the message (channel, author, posted time, source URL…); the model sees it as data")
        @CleanJson
        Map<String, Object> metadata,

        @Schema(description = JobOptionsDoc.DESCRIPTION) @CleanJson
        Map<String, Object> options,

        @Min(value = 0, message = "must be at least 0") @Max(value = 10, message = "must be at most 10")
        Integer maxRetries,
        /* a project id, or a built-in template name (news-event, broker-report, drawing, generic) */
        @Size(max = 120, message = "must be at most 120 characters") @CleanText
        String project) {}
