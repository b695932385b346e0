package io.distill.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobRulesTest {

    @Test
    void terminalStatesHaveNoWayOutExceptRetryOfFailed() {
        assertTrue(JobStatus.COMPLETED.successors().isEmpty());
        assertTrue(JobStatus.CANCELLED.successors().isEmpty());
        assertTrue(JobStatus.FAILED.canMoveTo(JobStatus.PENDING));
        assertFalse(JobStatus.FAILED.canMoveTo(JobStatus.COMPLETED));
        assertFalse(JobStatus.PENDING.canMoveTo(JobStatus.COMPLETED));
        assertTrue(JobStatus.PROCESSING.canMoveTo(JobStatus.PENDING));
    }

    @Test
    void usersCancelUnfinishedJobsAndRetryOnlyFailedOnes() {
        assertEquals(java.util.List.of("pending", "processing"), JobStatus.predecessorsOf(JobStatus.CANCELLED));
        assertTrue(JobStatus.PROCESSING.cancellable());
        assertFalse(JobStatus.COMPLETED.cancellable());
        assertTrue(JobStatus.FAILED.retryableByUser());
        assertFalse(JobStatus.PROCESSING.retryableByUser());
        assertEquals("\"completed\"", Json.write(JobStatus.COMPLETED));
    }

    @Test
    void canonicalHashIgnoresKeyOrder() {
        assertEquals(
                Json.canonicalHash(java.util.Map.of("a", 1, "b", java.util.Map.of("x", 1, "y", 2))),
                Json.canonicalHash(
                        new java.util.TreeMap<>(java.util.Map.of("b", java.util.Map.of("y", 2, "x", 1), "a", 1))));
        assertFalse(Json.canonicalHash(java.util.Map.of("a", 1)).equals(Json.canonicalHash(java.util.Map.of("a", 2))));
    }

    @Test
    void progressIsClampedAndNeverMovesBackwards() {
        ProgressEvent at50 = event(3, 50);
        assertEquals(100, event(1, 250).progress());
        assertEquals(0, event(1, -5).progress());
        assertEquals(at50, ProgressRule.follow(null, at50));
        assertEquals(60, ProgressRule.follow(at50, event(4, 60)).progress());
        assertNull(ProgressRule.follow(at50, event(3, 60)), "same sequence twice");
        assertNull(ProgressRule.follow(at50, event(2, 60)), "older sequence");
        ProgressEvent cancelled = ProgressEvent.of(at50.jobId(), "u", Stage.LLM_EXTRACT, JobStatus.CANCELLED, 20, 4);
        ProgressEvent shown = ProgressRule.follow(at50, cancelled);
        assertEquals(JobStatus.CANCELLED, shown.status(), "a newer status is never dropped for its progress");
        assertEquals(50, shown.progress(), "its progress is raised to what was shown");
    }

    @Test
    void validationErrorsAreNotRetried() {
        assertInstanceOf(RetryPolicy.GiveUp.class, RetryPolicy.DEFAULT.afterFailure(ErrorClass.VALIDATION_ERROR, 0, 3));
    }

    @Test
    void retryableErrorsBackOffExponentiallyUntilMaxRetries() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30));
        for (int attempt = 0; attempt < 3; attempt++) {
            var decision = assertInstanceOf(
                    RetryPolicy.Retry.class, policy.afterFailure(ErrorClass.PROVIDER_ERROR, attempt, 3));
            long cap = 1000L << attempt;
            assertTrue(
                    decision.delay().toMillis() >= cap / 2 && decision.delay().toMillis() <= cap, decision.toString());
        }
        assertInstanceOf(RetryPolicy.GiveUp.class, policy.afterFailure(ErrorClass.PROVIDER_ERROR, 3, 3));
        var capped = assertInstanceOf(RetryPolicy.Retry.class, policy.afterFailure(ErrorClass.PROVIDER_ERROR, 9, 10));
        assertTrue(capped.delay().toMillis() <= 30_000);
    }

    @Test
    void errorReasonsCarryTheirClass() {
        assertEquals("validation_error:text is empty", ErrorClass.VALIDATION_ERROR.reason("text is empty"));
    }

    @Test
    void eventsRoundTripThroughTheWireFormat() {
        ProgressEvent sent = event(7, 35).withError(null, null);
        assertEquals(sent, Json.read(Json.write(sent), ProgressEvent.class));
    }

    private static ProgressEvent event(long seq, int progress) {
        return ProgressEvent.of(java.util.UUID.randomUUID(), "u1", Stage.LOAD, JobStatus.PROCESSING, progress, seq);
    }
}
