package io.distill.worker.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.ErrorClass;
import io.distill.worker.jobs.ClaimedJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stages under deadlines on bounded threads: no stage can hold a job, or its thread, past its time. */
@Timeout(30)
class StageExecutorTest {
    private final StageExecutor executor = new StageExecutor(settings(4), new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        executor.stop();
    }

    @Test
    void aStagePastItsDeadlineIsInterruptedAndItsJobFailsFinallyAsTooSlow() {
        AtomicBoolean interrupted = new AtomicBoolean();
        long t0 = System.nanoTime();
        PipelineException failure = assertThrows(
                PipelineException.class,
                () -> executor.run(context(), "LLM_EXTRACT", Duration.ofMillis(200), () -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                }));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ErrorClass.VALIDATION_ERROR, failure.errorClass());
        assertFalse(failure.retryable(), "too slow is final");
        assertTrue(failure.getMessage().startsWith("too_slow: LLM_EXTRACT took longer than"), failure.getMessage());
        assertTrue(millis < 2_000, "the caller went on at the deadline, after " + millis + " ms");
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    }

    @Test
    void aStageThatIgnoresInterruptionIsCountedStuckButDoesNotHoldTheCaller() {
        CountDownLatch release = new CountDownLatch(1);
        assertThrows(
                PipelineException.class,
                () -> executor.run(context(), "TEXT_EXTRACT", Duration.ofMillis(100), () -> {
                    while (release.getCount() > 0) {
                        Thread.onSpinWait(); // a parser deaf to interruption
                    }
                }));
        assertEquals(1, executor.stuck());
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.stuck() == 0);
    }

    @Test
    void anErrorMakesThePoisonFailureFinalWhateverTheStage() {
        PipelineException failure = assertThrows(
                PipelineException.class,
                () -> executor.run(context(), "VALIDATE", Duration.ofSeconds(5), () -> recurse(0)));
        assertEquals(ErrorClass.INTERNAL_ERROR, failure.errorClass());
        assertFalse(failure.retryable());
        assertEquals("poison: VALIDATE failed with StackOverflowError", failure.getMessage());
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorThatMayBeRetried() {
        PipelineException failure = assertThrows(
                PipelineException.class,
                () -> executor.run(context(), "LOAD", Duration.ofSeconds(5), () -> {
                    throw new IllegalStateException("boom");
                }));
        assertEquals(ErrorClass.INTERNAL_ERROR, failure.errorClass());
        assertTrue(failure.retryable());
    }

    @Test
    void aLostLeaseStopsTheRunningStage() throws Exception {
        JobContext context = context();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> assertThrows(
                LeaseLostException.class,
                () -> executor.run(context, "LLM_EXTRACT", Duration.ofSeconds(20), () -> {
                    started.countDown();
                    try {
                        Thread.sleep(20_000);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                })));
        caller.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        context.leaseLost();
        caller.join(5_000);
        assertFalse(caller.isAlive(), "the caller returned once the lease was lost");
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    private static JobContext context() {
        return new JobContext(new ClaimedJob(
                UUID.randomUUID(),
                "u",
                "message",
                "text",
                null,
                null,
                "text",
                Map.of(),
                Map.of(),
                0,
                1,
                0,
                3,
                1,
                null,
                null,
                null,
                null,
                null));
    }

    private static PipelineSettings settings(int threads) {
        return new PipelineSettings() {
            @Override
            public Map<String, Duration> stageTimeout() {
                return Map.of();
            }

            @Override
            public int stageThreads() {
                return threads;
            }

            @Override
            public int maxLeaseExpiries() {
                return 3;
            }
        };
    }
}
