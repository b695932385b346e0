package io.distill.gateway;

import io.distill.model.JobStatus;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.model.Tenancy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The current state of jobs as stored, expressed as the event a subscriber would have seen last. */
@ApplicationScoped
public class JobSnapshots {
    private static final String COLUMNS =
            "id, user_id, status, progress, current_stage, event_seq, error_code, error_message, updated_at";
    private static final String ONE = "select " + COLUMNS + " from extraction_jobs where id = $1 and user_id = $2";
    private static final String RECENT =
            "select " + COLUMNS + " from extraction_jobs where user_id = $1" + " order by created_at desc limit $2";

    private final Pool pool;
    private final Tenancy tenancy;

    public JobSnapshots(
            Pool pool,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = Tenancy.KEY_SETTING) String tenantKey) {
        this.pool = pool;
        this.tenancy = new Tenancy(tenantKey);
    }

    /** The job's state, or null when it does not exist or is not this user's (indistinguishable on purpose). */
    public Uni<ProgressEvent> job(UUID jobId, String userId) {
        return asUser(userId, ONE, Tuple.of(jobId, userId))
                .map(rows -> rows.iterator().hasNext() ? toEvent(rows.iterator().next()) : null);
    }

    public Uni<List<ProgressEvent>> recent(String userId, int limit) {
        return asUser(userId, RECENT, Tuple.of(userId, limit))
                .map(rows -> rows.stream().map(JobSnapshots::toEvent).toList());
    }

    /** Runs the query under row-level security, as the user (with the proof only a holder of the tenant key can make). */
    private Uni<RowSet<Row>> asUser(String userId, String sql, Tuple params) {
        return pool.withTransaction(conn -> conn.preparedQuery(Tenancy.SET_TENANT)
                .execute(Tuple.of(userId, tenancy.proof(userId)))
                .chain(() -> conn.preparedQuery(sql).execute(params)));
    }

    private static ProgressEvent toEvent(Row row) {
        String stage = row.getString("current_stage");
        return new ProgressEvent(
                ProgressEvent.SCHEMA_VERSION,
                row.getUUID("id"),
                row.getString("user_id"),
                stage == null ? Stage.QUEUED : Stage.valueOf(stage),
                JobStatus.fromDb(row.getString("status")),
                row.getInteger("progress"),
                row.getLong("event_seq"),
                row.getOffsetDateTime("updated_at") == null
                        ? null
                        : row.getOffsetDateTime("updated_at").toInstant(),
                row.getString("error_code"),
                row.getString("error_message"));
    }
}
