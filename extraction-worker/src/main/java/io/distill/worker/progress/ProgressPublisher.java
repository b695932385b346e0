package io.distill.worker.progress;

import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.jobs.JobStore;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.LeaseLostException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The one component that publishes job events. The numbers in each event come from the job row as
 * just written (progress raised with {@code greatest}, sequence incremented), so events are
 * monotonic across stages, attempts and workers. Events are keyed by job id: one partition, in order.
 */
@ApplicationScoped
public class ProgressPublisher {
    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final MutinyEmitter<String> events;
    private final JobStore store;

    public ProgressPublisher(@Channel("job-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
                             MutinyEmitter<String> events, JobStore store) {
        this.events = events;
        this.store = store;
    }

    public void claimed(ClaimedJob job) {
        publish(ProgressEvent.of(job.id(), job.userId(), Stage.LOAD, JobStatus.PROCESSING, job.progress(), job.seq()));
    }

    /** Records the stage in the job row (renewing the lease) and publishes it; a lost lease stops the job. */
    public void stageDone(JobContext context, Stage stage, Map<String, Long> timings) {
        ClaimedJob job = context.job();
        JobStore.Progress stored = store.advance(job, stage, stage.progressWhenDone(), timings)
                .orElseThrow(() -> new LeaseLostException(job.id()));
        publish(ProgressEvent.of(job.id(), job.userId(), stage, JobStatus.PROCESSING, stored.progress(), stored.seq()));
    }

    public void completed(JobContext context) {
        ClaimedJob job = context.job();
        publish(ProgressEvent.of(job.id(), job.userId(), Stage.EMIT, JobStatus.COMPLETED, 100, context.completionSeq()));
    }

    public void ended(ClaimedJob job, Stage stage, JobStatus status, JobStore.Progress stored, String errorCode, String message) {
        publish(ProgressEvent.of(job.id(), job.userId(), stage, status, stored.progress(), stored.seq())
                .withError(errorCode, message));
    }

    /**
     * Waits for Kafka's acknowledgement. A failed publish is logged, not fatal: the job row is the
     * truth, and the gateway sends it to every subscriber when they (re)subscribe.
     */
    private void publish(ProgressEvent event) {
        Message<String> message = Message.of(Json.write(event)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.jobId().toString()).build());
        // not awaited: the job row is already written, and one producer keeps a job's events in order
        // (same key, same partition); waiting for each acknowledgement cost every job a round trip per stage
        events.sendMessage(message).subscribe().with(sent -> { },
                failure -> LOG.warnf("progress event for job %s (seq %d) not published: %s", event.jobId(), event.seq(), failure.toString()));
    }
}
