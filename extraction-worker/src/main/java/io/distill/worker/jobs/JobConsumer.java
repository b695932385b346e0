package io.distill.worker.jobs;

import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The worker's end of the jobs topic. A record only names a job; the runner claims it in
 * PostgreSQL. The offset is committed when this method returns, i.e. after the job reached a
 * durable state. An unparseable record throws and goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class JobConsumer {
    private final JobRunner runner;

    public JobConsumer(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming("jobs-in")
    @Blocking(value = "pipeline", ordered = false)
    public void onJob(String record) {
        JobMessage message = Json.read(record, JobMessage.class);
        if (message.jobId() == null) {
            throw new IllegalArgumentException("job message without jobId");
        }
        if (message.schemaVersion() > JobMessage.SCHEMA_VERSION) {
            throw new IllegalArgumentException("job message schema " + message.schemaVersion() + " is newer than this worker");
        }
        runner.run(message.jobId());
    }
}
