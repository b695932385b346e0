package io.distill.worker.scheduling;

import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.jobs.JobTransitions;
import io.distill.worker.pipeline.PipelineSettings;
import io.distill.worker.progress.ProgressPublisher;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Puts jobs that nobody is working on back on the jobs topic: retries that are due, jobs whose
 * worker's lease expired, and pending jobs whose message got lost. Runs on one worker at a time
 * (a {@link SingletonLease}); re-enqueueing twice is harmless because a claim is a compare-and-set.
 * The same tick brings the extraction runs' counters up to date.
 */
@ApplicationScoped
public class Sweeper {
    private static final Logger LOG = Logger.getLogger(Sweeper.class);
    private static final String LEASE_NAME = "sweeper";
    private final Pool pool;
    private final SingletonLease lease;
    private final ProgressPublisher progress;
    private final int maxLeaseExpiries;
    private final RunTracker runs;
    private final MutinyEmitter<String> jobs;
    private final Duration interval;
    private final Duration stuckAfter;
    private final int batchSize;

    public Sweeper(
            Pool pool,
            SingletonLease lease,
            RunTracker runs,
            ProgressPublisher progress,
            PipelineSettings pipeline,
            @Channel("jobs-requeue") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    MutinyEmitter<String> jobs,
            @ConfigProperty(name = "distill.sweeper.interval") Duration interval,
            @ConfigProperty(name = "distill.sweeper.stuck-after") Duration stuckAfter,
            @ConfigProperty(name = "distill.sweeper.batch-size") int batchSize) {
        this.pool = pool;
        this.lease = lease;
        this.progress = progress;
        this.maxLeaseExpiries = pipeline.maxLeaseExpiries();
        this.runs = runs;
        this.jobs = jobs;
        this.interval = interval;
        this.stuckAfter = stuckAfter;
        this.batchSize = batchSize;
    }

    // not before start-up is done: the requeue emitter only connects once messaging has started
    @Scheduled(
            every = "${distill.sweeper.interval}",
            delayed = "${distill.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        try {
            // the lease outlives one missed tick, so a slow sweep does not hand over mid-way
            if (lease.tryAcquire(LEASE_NAME, interval.multipliedBy(3))) {
                int poisoned = failPoisoned();
                if (poisoned > 0) {
                    LOG.warnf(
                            "sweeper failed %d poison jobs (their lease expired %d times)", poisoned, maxLeaseExpiries);
                }
                int requeued = requeueDue();
                if (requeued > 0) {
                    LOG.infof("sweeper re-enqueued %d jobs", requeued);
                }
                runs.refresh();
            }
        } catch (RuntimeException e) {
            LOG.warnf("sweep failed, next tick retries: %s", e.toString());
        }
    }

    int failPoisoned() {
        List<ProgressEvent> failed = JobTransitions.failPoisoned(pool, maxLeaseExpiries, batchSize)
                .await()
                .atMost(Duration.ofSeconds(30));
        failed.forEach(progress::announce);
        return failed.size();
    }

    int requeueDue() {
        List<Row> due = new ArrayList<>();
        JobTransitions.due(pool, stuckAfter.toMillis() / 1000.0, batchSize)
                .await()
                .atMost(Duration.ofSeconds(30))
                .forEach(due::add);
        List<Uni<Void>> sends = new ArrayList<>();
        for (Row row : due) {
            String jobId = row.getUUID("id").toString();
            sends.add(
                    jobs.sendMessage(Message.of(Json.write(JobMessage.of(row.getUUID("id"), row.getString("user_id"))))
                            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                    .withKey(jobId)
                                    .build())));
        }
        if (!sends.isEmpty()) {
            Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(60));
        }
        return due.size();
    }
}
