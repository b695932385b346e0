package io.distill.worker.jobs;

import java.util.Map;
import java.util.UUID;

/**
 * A job this worker holds the lease for. {@code leaseVersion} is the fencing token: every later
 * write names it, so a worker whose lease was taken over cannot write anything. {@code seq} is the
 * number of the claim's event (the attempt numbers its later events from there); {@code reservation}
 * is the LLM budget its claim set aside, or null; {@code contentSha256} identifies an upload's bytes
 * (null for a message); {@code runId} the run it belongs to, if any.
 */
public record ClaimedJob(
        UUID id,
        String userId,
        String sourceKind,
        String sourceText,
        String fileUrl,
        String filename,
        String format,
        Map<String, Object> options,
        Map<String, Object> metadata,
        int progress,
        long seq,
        int retryCount,
        int maxRetries,
        long leaseVersion,
        UUID projectId,
        Integer projectVersion,
        String contentSha256,
        UUID runId,
        io.distill.worker.llm.LlmBudget.Reservation reservation) {}
