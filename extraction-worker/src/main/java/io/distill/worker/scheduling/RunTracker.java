package io.distill.worker.scheduling;

import io.distill.model.Json;
import io.distill.model.RunEvent;
import io.distill.model.RunStatus;
import io.distill.model.jobs.JobTransitions;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Keeps the counters of unfinished extraction runs: marks a queued run {@code running} once a worker
 * has taken one of its jobs, adds up what its jobs did (ended, completed, records inserted and
 * updated, points) and ends the run when its last job has ended — {@code failed} with
 * {@code jobs_failed} and the error classes if any job failed — publishing a run event whenever a
 * run changed. Called by the sweeper, so one worker does it at a time.
 */
@ApplicationScoped
public class RunTracker {
    private static final String REFRESH = "with counted as (" + JobTransitions.RUN_COUNTS + """
            ),
            next as (
                select c.*, case
                    when c.processed >= r.considered then case when c.failed > 0 then $1 else $2 end
                    when r.status = 'queued' and c.started > 0 then 'running'
                    else r.status end as status
                from counted c join extraction_runs r on r.id = c.id)
            update extraction_runs r set
                processed = n.processed, extracted = n.extracted, inserted = n.inserted, updated = n.updated,
                points_inserted = n.points_inserted, status = n.status, updated_at = now(),
                started_at = coalesce(r.started_at, case when n.started > 0 then now() end),
                finished_at = case when n.status in ('succeeded', 'failed') then now() end,
                error_code = case when n.status = 'failed' then 'jobs_failed' end,
                error_message = case when n.status = 'failed'
                    then n.failed || ' of ' || r.considered || ' jobs failed (' || n.failed_codes || ')' end
            from next n
            where r.id = n.id
              and (r.processed, r.extracted, r.inserted, r.updated, r.points_inserted, r.status)
                  is distinct from (n.processed, n.extracted, n.inserted, n.updated, n.points_inserted, n.status)
            returning r.id, r.user_id, r.status, r.considered, r.processed, r.extracted, r.inserted, r.updated,
                      r.points_inserted, r.error_code""";

    private final Pool pool;
    private final MutinyEmitter<String> runEvents;

    public RunTracker(
            Pool pool,
            @Channel("run-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                    MutinyEmitter<String> runEvents) {
        this.pool = pool;
        this.runEvents = runEvents;
    }

    /** Returns how many runs changed. */
    int refresh() {
        List<Row> changed = new ArrayList<>();
        pool.preparedQuery(REFRESH)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(
                        RunStatus.outcome(1).dbValue(), RunStatus.outcome(0).dbValue()))
                .await()
                .atMost(Duration.ofSeconds(30))
                .forEach(changed::add);
        List<Uni<Void>> sends = new ArrayList<>();
        for (Row row : changed) {
            RunEvent event = new RunEvent(
                    RunEvent.SCHEMA_VERSION,
                    row.getUUID("id"),
                    row.getString("user_id"),
                    RunStatus.fromDb(row.getString("status")),
                    row.getInteger("considered"),
                    row.getInteger("processed"),
                    row.getInteger("extracted"),
                    row.getInteger("inserted"),
                    row.getInteger("updated"),
                    row.getInteger("points_inserted"),
                    row.getString("error_code"),
                    Instant.now());
            sends.add(runEvents.sendMessage(Message.of(Json.write(event))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                            .withKey(event.runId().toString())
                            .build())));
        }
        if (!sends.isEmpty()) {
            Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(30));
        }
        return changed.size();
    }
}
