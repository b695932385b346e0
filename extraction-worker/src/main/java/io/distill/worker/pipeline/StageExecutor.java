package io.distill.worker.pipeline;

import io.distill.model.ErrorClass;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.MDC;

/**
 * Runs one stage of one job on a bounded pool of threads, under the stage's deadline. At the
 * deadline the stage is interrupted and its job fails finally ({@code validation_error:too_slow});
 * the caller goes on even if the stage's code ignores the interruption, and that thread is counted
 * as stuck until it returns. Any {@link Throwable} a stage throws ends in a classified failure:
 * an {@link Error} (StackOverflowError, OutOfMemoryError…) makes the job poison, final.
 */
@ApplicationScoped
public class StageExecutor {
    private final ThreadPoolExecutor threads;
    private final Set<Thread> pastDeadline = ConcurrentHashMap.newKeySet();

    public StageExecutor(PipelineSettings settings, MeterRegistry registry) {
        AtomicInteger number = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(
                settings.stageThreads(),
                settings.stageThreads(),
                1,
                TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread thread = new Thread(r, "stage-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        Gauge.builder("distill.stage.threads.stuck", pastDeadline, Set::size)
                .description("stage threads still running a stage whose deadline passed")
                .register(registry);
    }

    /** Runs {@code work} within {@code limit}; throws {@link PipelineException} or {@link LeaseLostException}. */
    public void run(JobContext context, String stageName, Duration limit, Runnable work) {
        String jobId = context.job().id().toString();
        AtomicReference<Thread> runner = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        Future<?> running = threads.submit(() -> {
            runner.set(Thread.currentThread());
            MDC.put("jobId", jobId);
            try {
                work.run();
            } finally {
                MDC.remove("jobId");
                finished.set(true);
                pastDeadline.remove(Thread.currentThread());
            }
        });
        context.running(running);
        try {
            running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            Thread thread = runner.get();
            if (thread != null) {
                pastDeadline.add(thread);
                if (finished.get()) {
                    pastDeadline.remove(thread);
                }
            }
            throw PipelineException.permanent(
                    ErrorClass.VALIDATION_ERROR,
                    "too_slow: " + stageName + " took longer than its deadline of " + limit.toSeconds() + " s",
                    null);
        } catch (CancellationException e) {
            // the lease keeper stopped it: the job was cancelled or taken over
            throw new LeaseLostException(context.job().id());
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new LeaseLostException(context.job().id());
        } catch (ExecutionException e) {
            throw classify(stageName, e.getCause());
        } finally {
            context.running(null);
        }
    }

    private static RuntimeException classify(String stageName, Throwable failure) {
        if (failure instanceof PipelineException || failure instanceof LeaseLostException) {
            return (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            return PipelineException.permanent(
                    ErrorClass.INTERNAL_ERROR,
                    "poison: " + stageName + " failed with "
                            + failure.getClass().getSimpleName(),
                    failure);
        }
        return new PipelineException(
                ErrorClass.INTERNAL_ERROR,
                stageName + " failed: " + failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                failure);
    }

    /** Threads whose stage is past its deadline and still running (they ignored the interruption). */
    public int stuck() {
        return pastDeadline.size();
    }

    public int size() {
        return threads.getMaximumPoolSize();
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }
}
