package io.distill.worker.progress;

import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.worker.jobs.JobStore;
import io.distill.worker.metrics.WorkerMetrics;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.LeaseLostException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one component that publishes job events. An attempt numbers its events from the block its
 * claim reserved ({@link io.distill.model.jobs.JobTransitions#SEQ_BLOCK}), so events are monotonic
 * across stages, attempts and workers without a write per event; progress never goes back within
 * an attempt. A stage that took at least {@code distill.worker.progress-write-after} is also marked
 * in the job row (at most {@value #MAX_PROGRESS_WRITES} per attempt), for subscribers who arrive
 * late; the row's {@code current_stage} is the stage running now. Events are keyed by job id: one
 * partition, in order.
 */
@ApplicationScoped
public class ProgressPublisher {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);
    static final int MAX_PROGRESS_WRITES = 2;

    private final JobEventsProducer events;
    private final JobStore store;
    private final long writeAfterMillis;
    private final WorkerMetrics metrics;

    public ProgressPublisher(
            JobEventsProducer events,
            JobStore store,
            @ConfigProperty(name = "distill.worker.progress-write-after") Duration writeAfter,
            WorkerMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
        this.store = store;
        this.writeAfterMillis = writeAfter.toMillis();
    }

    /** The claim: the job is processing, LOAD running (the claim wrote the row). */
    public void claimed(JobContext context) {
        publish(ProgressEvent.of(
                context.job().id(),
                context.job().userId(),
                Stage.LOAD,
                JobStatus.PROCESSING,
                context.progress(),
                context.job().seq()));
    }

    /**
     * {@code done} finished after {@code millis} and {@code next} runs now. Marked in the row (which
     * also renews the lease and notices a lost one) when the stage was long enough to be worth showing.
     */
    public void stageDone(JobContext context, Stage done, Stage next, long millis, Map<String, Long> timings) {
        int progress = context.raiseProgress(done.progressWhenDone());
        long seq = context.nextSeq();
        if (millis >= writeAfterMillis && context.progressWrites() < MAX_PROGRESS_WRITES) {
            if (!store.markProgress(context.job(), next, progress, seq, timings)) {
                throw new LeaseLostException(context.job().id());
            }
            context.progressWritten();
        }
        publish(ProgressEvent.of(
                context.job().id(), context.job().userId(), next, JobStatus.PROCESSING, progress, seq));
    }

    /** The completion PERSIST wrote with the attempt's last number. */
    public void completed(JobContext context) {
        publish(ProgressEvent.of(
                context.job().id(), context.job().userId(), Stage.EMIT, JobStatus.COMPLETED, 100, context.seq()));
    }

    /** The end of a failed attempt (failed, or pending until a retry), at the stage that failed. */
    public void ended(
            JobContext context, JobStatus status, JobStore.Progress stored, String errorCode, String message) {
        publish(ProgressEvent.of(
                        context.job().id(),
                        context.job().userId(),
                        context.stage(),
                        status,
                        stored.progress(),
                        stored.seq())
                .withError(errorCode, message));
    }

    /** A job failed outside any attempt (a poison job, by the sweeper), announced from its row. */
    public void announce(ProgressEvent event) {
        publish(event);
    }

    /**
     * Not awaited: what a subscriber must see is in the job row (at the claim, for long stages and at
     * the end), and one producer keeps a job's events in order (same key, same partition). A failed
     * publish is logged, not fatal: the gateway sends the stored state to whoever (re)subscribes.
     */
    private void publish(ProgressEvent event) {
        long t0 = System.nanoTime();
        events.send(event.jobId().toString(), Json.write(event), (sent, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "progress event for job %s (seq %d) not published: %s",
                        event.jobId(), event.seq(), failure.toString());
            }
        });
        metrics.published(System.nanoTime() - t0);
    }
}
