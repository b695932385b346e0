package io.distill.api.jobs;

import io.distill.api.outbox.OutboxRelay;
import io.distill.api.outbox.OutboxWriter;
import io.distill.api.tenancy.Tenant;
import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.model.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A user's commands on an existing job: cancel and retry. Each is a compare-and-set guarded by the
 * lifecycle rules of {@link JobStatus}, written together with its outbox messages (the event for
 * the browsers, and for a retry the job message for the workers) in one transaction.
 */
@ApplicationScoped
public class JobCommands {
    // a worker on this job notices at its next stage boundary: its lease-guarded writes require 'processing'
    private static final String CANCEL = """
            update extraction_jobs set status = 'cancelled', completed_at = now(), next_retry_at = null,
                lease_owner = null, lease_expires_at = null, event_seq = event_seq + 1
            where id = $1 and user_id = $2 and status = any($3)
            returning id, user_id, status, progress, current_stage, event_seq""";
    private static final String RETRY = """
            update extraction_jobs set status = 'pending', retry_count = 0, next_retry_at = null, error_code = null,
                error_message = null, completed_at = null, enqueued_at = now(), event_seq = event_seq + 1
            where id = $1 and user_id = $2 and status = any($3)
            returning id, user_id, status, progress, current_stage, event_seq""";
    private static final String CANCEL_RUN_JOBS = """
            update extraction_jobs set status = 'cancelled', completed_at = now(), next_retry_at = null,
                lease_owner = null, lease_expires_at = null, event_seq = event_seq + 1
            where run_id = $1 and status = any($2)
            returning id, user_id, status, progress, current_stage, event_seq""";
    private static final String STATUS = "select status from extraction_jobs where id = $1 and user_id = $2";

    private static final List<String> CANCELLABLE = JobStatus.predecessorsOf(JobStatus.CANCELLED);
    private static final List<String> RETRYABLE = java.util.Arrays.stream(JobStatus.values())
            .filter(JobStatus::retryableByUser).map(JobStatus::dbValue).toList();

    private final Pool pool;
    private final OutboxRelay relay;

    public JobCommands(Pool pool, OutboxRelay relay) {
        this.pool = pool;
        this.relay = relay;
    }

    public Uni<JobStatus> cancel(String userId, UUID jobId) {
        return command(userId, jobId, CANCEL, CANCELLABLE, false, "only pending or processing jobs can be cancelled");
    }

    public Uni<JobStatus> retry(String userId, UUID jobId) {
        return command(userId, jobId, RETRY, RETRYABLE, true, "only failed jobs can be retried");
    }

    private Uni<JobStatus> command(String userId, UUID jobId, String sql, List<String> allowedFrom, boolean enqueue, String rule) {
        return Tenant.user(userId).transaction(pool, conn -> conn.preparedQuery(sql)
                        .execute(Tuple.of(jobId, userId, allowedFrom.toArray(String[]::new)))
                        .chain(rows -> rows.rowCount() == 0
                                ? refuse(conn, userId, jobId, rule)
                                : announce(conn, rows.iterator().next(), enqueue)))
                .invoke(relay::wake);
    }

    private Uni<JobStatus> announce(SqlConnection conn, Row row, boolean enqueue) {
        ProgressEvent event = eventOf(row);
        List<OutboxWriter.Entry> messages = new ArrayList<>();
        messages.add(new OutboxWriter.Entry(Topics.JOB_EVENTS, event.jobId().toString(), event));
        if (enqueue) {
            messages.add(new OutboxWriter.Entry(Topics.JOBS, event.jobId().toString(), JobMessage.of(event.jobId(), event.userId())));
        }
        return OutboxWriter.write(conn, messages).replaceWith(event.status());
    }

    /**
     * Cancels every unfinished job of a run, inside the caller's transaction, announcing each.
     * Returns how many were cancelled.
     */
    public static Uni<Integer> cancelRunJobs(SqlConnection conn, UUID runId) {
        return conn.preparedQuery(CANCEL_RUN_JOBS).execute(Tuple.of(runId, CANCELLABLE.toArray(String[]::new)))
                .chain(rows -> {
                    List<OutboxWriter.Entry> events = new ArrayList<>();
                    rows.forEach(row -> events.add(new OutboxWriter.Entry(Topics.JOB_EVENTS, row.getUUID("id").toString(), eventOf(row))));
                    return OutboxWriter.write(conn, events).replaceWith(rows.rowCount());
                });
    }

    /** The event announcing the state a command just wrote (the row as returned by its update). */
    private static ProgressEvent eventOf(Row row) {
        String stage = row.getString("current_stage");
        return ProgressEvent.of(row.getUUID("id"), row.getString("user_id"), stage == null ? Stage.QUEUED : Stage.valueOf(stage),
                JobStatus.fromDb(row.getString("status")), row.getInteger("progress"), row.getLong("event_seq"));
    }

    private Uni<JobStatus> refuse(SqlConnection conn, String userId, UUID jobId, String rule) {
        return conn.preparedQuery(STATUS).execute(Tuple.of(jobId, userId)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new NotFoundException("no job " + jobId);
            }
            String status = rows.iterator().next().getString("status");
            throw new ClientErrorException("job is " + status + "; " + rule, Response.Status.CONFLICT);
        });
    }
}
