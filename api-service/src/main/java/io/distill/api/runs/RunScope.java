package io.distill.api.runs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;

/**
 * Which jobs a run takes: one user's or everyone's ({@code userId} null), by source kind and age,
 * oldest first, at most {@code limit}, among the eligible jobs of the statuses named (default all
 * three): {@code pending}; {@code failed} with a retryable error (provider, persistence, internal —
 * never a validation error); {@code processing} whose lease has expired. {@code trigger} says who
 * asked ({@code manual} from the API, {@code cli} from {@code ./distill run}) and {@code triggerRef}
 * anything that identifies the request on the caller's side.
 */
public record RunScope(
        @Pattern(regexp = "[A-Za-z0-9._@|:-]{1,128}", message = "is not a valid user id")
        String userId,

        List<@Pattern(regexp = "pending|failed|processing", message = "must be pending, failed or processing") String>
                statuses,

        @Pattern(regexp = "upload|message", message = "must be upload or message")
        String sourceKind,

        Instant createdBefore,

        @Min(value = 1, message = "must be at least 1") @Max(value = 10_000, message = "must be at most 10000")
        Integer limit,

        @Pattern(regexp = "manual|cli", message = "must be manual or cli (daily runs are started by the schedule)")
        String trigger,

        @Pattern(regexp = "[\\p{Alnum} ._@|:/#-]{1,200}", message = "must be 1 to 200 letters, digits or ._@|:/#- ")
        String triggerRef) {

    static final List<String> ELIGIBLE = List.of("pending", "failed", "processing");

    public static RunScope everything() {
        return new RunScope(null, null, null, null, null, null, null);
    }

    public List<String> statusesOrDefault() {
        return statuses == null || statuses.isEmpty() ? ELIGIBLE : statuses;
    }

    public int limitOrDefault() {
        return limit == null ? 1000 : limit;
    }

    public String triggerOrDefault() {
        return trigger == null ? "manual" : trigger;
    }
}
