package io.distill.worker.scheduling;

import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private static final String DUE = """
            update extraction_jobs set enqueued_at = now() where id in (
                select id from extraction_jobs
                where (status = 'pending' and (next_retry_at is null or next_retry_at <= now())
                       and (coalesce(enqueued_at, created_at) < now() - make_interval(secs => $1)
                            or coalesce(enqueued_at, created_at) < next_retry_at))
                   or (status = 'processing' and lease_expires_at < now()
                       and coalesce(enqueued_at, created_at) < lease_expires_at)
                order by created_at
                limit $2
                for update skip locked)
            returning id, user_id""";

    private final Pool pool;
    private final SingletonLease lease;
    private final RunTracker runs;
    private final MutinyEmitter<String> jobs;
    private final Duration interval;
    private final Duration stuckAfter;
    private final int batchSize;

    public Sweeper(Pool pool, SingletonLease lease, RunTracker runs,
                   @Channel("jobs-requeue") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<String> jobs,
                   @ConfigProperty(name = "distill.sweeper.interval") Duration interval,
                   @ConfigProperty(name = "distill.sweeper.stuck-after") Duration stuckAfter,
                   @ConfigProperty(name = "distill.sweeper.batch-size") int batchSize) {
        this.pool = pool;
        this.lease = lease;
        this.runs = runs;
        this.jobs = jobs;
        this.interval = interval;
        this.stuckAfter = stuckAfter;
        this.batchSize = batchSize;
    }

    @Scheduled(every = "${distill.sweeper.interval}", delayed = "${distill.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            // the lease outlives one missed tick, so a slow sweep does not hand over mid-way
            if (lease.tryAcquire(LEASE_NAME, interval.multipliedBy(3))) {
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

    int requeueDue() {
        List<Row> due = new ArrayList<>();
        pool.preparedQuery(DUE).execute(Tuple.of(stuckAfter.toMillis() / 1000.0, batchSize))
                .await().atMost(Duration.ofSeconds(30)).forEach(due::add);
        List<Uni<Void>> sends = new ArrayList<>();
        for (Row row : due) {
            String jobId = row.getUUID("id").toString();
            sends.add(jobs.sendMessage(Message.of(Json.write(JobMessage.of(row.getUUID("id"), row.getString("user_id"))))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(jobId).build())));
        }
        if (!sends.isEmpty()) {
            Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(60));
        }
        return due.size();
    }
}
