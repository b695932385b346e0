package io.distill.worker.jobs;

import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The worker's end of the jobs topic. A record only names a job; the runner claims it in
 * PostgreSQL. The record is acknowledged as soon as the claim decided who runs the job (this
 * worker, or nobody because it is held or done): the job row and its lease are the truth from then
 * on, and the sweeper recovers a job whose worker died. So the committed offset never waits for a
 * long job, and a slow job can neither stall its partition nor flip the consumer's health. An
 * unparseable record is refused (nack) and goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class JobConsumer {
    private final JobRunner runner;

    public JobConsumer(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming("jobs-in")
    @Blocking(value = "pipeline", ordered = false)
    public CompletionStage<Void> onJob(Message<String> record) {
        JobMessage message;
        try {
            message = Json.read(record.getPayload(), JobMessage.class);
            if (message.jobId() == null) {
                throw new IllegalArgumentException("job message without jobId");
            }
            if (message.schemaVersion() > JobMessage.SCHEMA_VERSION) {
                throw new IllegalArgumentException(
                        "job message schema " + message.schemaVersion() + " is newer than this worker");
            }
        } catch (IllegalArgumentException poison) {
            return record.nack(poison);
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        runner.run(message.jobId(), () -> record.ack().whenComplete((ok, failure) -> acknowledged.complete(null)));
        return acknowledged;
    }
}
