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
 * Keeps the counters of running extraction runs and ends each run when its last job has ended
 * (failed if any job failed), publishing a run event whenever a run changed. Called by the sweeper,
 * so one worker does it at a time.
 */
@ApplicationScoped
public class RunTracker {
    /** Brings each running run's counters up to date from its jobs' outcomes, and ends a run whose jobs have all ended. */
    private static final String REFRESH = "with counted as (" + JobTransitions.RUN_COUNTS + """
            ),
            inserted as (
                select j.run_id as id, count(res.id) as inserted
                from extraction_jobs j join extraction_results res on res.job_id = j.id
                where j.run_id in (select id from counted)
                group by j.run_id)
            update extraction_runs r set
                processed = c.processed, extracted = c.extracted, inserted = coalesce(i.inserted, 0), updated_at = now(),
                status = case when c.processed >= r.considered
                              then case when c.failed > 0 then $1 else $2 end else r.status end,
                finished_at = case when c.processed >= r.considered then now() end
            from counted c left join inserted i on i.id = c.id
            where r.id = c.id
              and ((r.processed, r.extracted, r.inserted) is distinct from (c.processed, c.extracted, coalesce(i.inserted, 0))
                   or c.processed >= r.considered)
            returning r.id, r.user_id, r.status, r.considered, r.processed, r.extracted, r.inserted, r.updated, r.points_inserted""";

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
