package io.distill.api.runs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;

/**
 * Which jobs a run takes: one user's or everyone's ({@code userId} null), by status (pending, or
 * failed ones to try again), source kind and age, oldest first, at most {@code limit}.
 */
public record RunScope(
        @Pattern(regexp = "[A-Za-z0-9._@|:-]{1,128}", message = "is not a valid user id")
        String userId,

        List<@Pattern(regexp = "pending|failed", message = "must be pending or failed") String> statuses,

        @Pattern(regexp = "upload|message", message = "must be upload or message")
        String sourceKind,

        Instant createdBefore,

        @Min(value = 1, message = "must be at least 1") @Max(value = 10_000, message = "must be at most 10000")
        Integer limit) {

    public List<String> statusesOrDefault() {
        return statuses == null || statuses.isEmpty() ? List.of("pending") : statuses;
    }

    public int limitOrDefault() {
        return limit == null ? 1000 : limit;
    }
}
