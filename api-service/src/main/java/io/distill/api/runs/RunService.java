package io.distill.api.runs;

import io.distill.api.jobs.JobCommands;
import io.distill.api.outbox.OutboxRelay;
import io.distill.api.outbox.OutboxWriter;
import io.distill.api.tenancy.Tenant;
import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.RunEvent;
import io.distill.model.RunStatus;
import io.distill.model.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Extraction runs (an admin operation): a batch of jobs (pending, or failed ones to try again) sent to the
 * workers together and followed as one. Starting a run tags and enqueues its jobs in one
 * transaction; the worker's sweeper keeps the counters and ends the run when its last job ends.
 */
@ApplicationScoped
public class RunService {
    private static final String INSERT_RUN = """
            insert into extraction_runs (id, user_id, status, trigger_type, meta, started_at)
            values ($1, $2, 'running', $3, $4, now())""";
    private static final String PICK_JOBS = """
            update extraction_jobs set run_id = $1, status = 'pending', retry_count = 0, next_retry_at = null,
                error_code = null, error_message = null, completed_at = null, enqueued_at = now()
            where id in (
                select id from extraction_jobs
                where ($2::text is null or user_id = $2) and status = any($3) and ($4::text is null or source_kind = $4)
                  and ($5::timestamptz is null or created_at < $5)
                order by created_at limit $6
                for update skip locked)
            returning id, user_id""";
    private static final String SET_CONSIDERED = """
            update extraction_runs set considered = $2,
                status = case when $2 = 0 then 'succeeded' else status end,
                finished_at = case when $2 = 0 then now() end
            where id = $1
            returning\s""" + RunView.COLUMNS + ", user_id";
    private static final String CANCEL = "update extraction_runs set status = 'canceled', finished_at = now() "
            + "where id = $1 and status = any($2) returning " + RunView.COLUMNS + ", user_id";
    private static final String ONE = "select " + RunView.COLUMNS + " from extraction_runs where id = $1";
    private static final String RECENT = "select " + RunView.COLUMNS + " from extraction_runs order by created_at desc limit $1";

    private final Pool pool;
    private final OutboxRelay relay;

    public RunService(Pool pool, OutboxRelay relay) {
        this.pool = pool;
        this.relay = relay;
    }

    /** Starts a run on behalf of {@code adminId} (runs are an admin operation, across users). */
    public Uni<RunView> start(String adminId, String triggerType, RunScope scope) {
        UUID runId = UUID.randomUUID();
        JsonObject meta = new JsonObject(Json.mapper().convertValue(scope, Map.class));
        return Tenant.admin(adminId).transaction(pool, conn -> conn.preparedQuery(INSERT_RUN).execute(Tuple.of(runId, adminId, triggerType, meta))
                        .chain(() -> conn.preparedQuery(PICK_JOBS).execute(Tuple.tuple()
                                .addValue(runId).addValue(scope.userId()).addValue(scope.statusesOrDefault().toArray(String[]::new))
                                .addValue(scope.sourceKind())
                                .addValue(scope.createdBefore() == null ? null : scope.createdBefore().atOffset(ZoneOffset.UTC))
                                .addValue(scope.limitOrDefault())))
                        .chain(picked -> {
                            List<OutboxWriter.Entry> messages = new ArrayList<>();
                            picked.forEach(row -> messages.add(new OutboxWriter.Entry(Topics.JOBS, row.getUUID("id").toString(),
                                    JobMessage.of(row.getUUID("id"), row.getString("user_id")))));
                            return OutboxWriter.write(conn, messages)
                                    .chain(() -> conn.preparedQuery(SET_CONSIDERED).execute(Tuple.of(runId, picked.rowCount())));
                        })
                        .chain(rows -> announce(conn, rows.iterator().next())))
                .invoke(relay::wake);
    }

    public Uni<RunView> find(String adminId, UUID runId) {
        return Tenant.admin(adminId).transaction(pool, conn -> conn.preparedQuery(ONE).execute(Tuple.of(runId))).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new NotFoundException("no run " + runId);
            }
            return RunView.of(rows.iterator().next());
        });
    }

    public Uni<List<RunView>> recent(String adminId, int limit) {
        return Tenant.admin(adminId).transaction(pool, conn -> conn.preparedQuery(RECENT).execute(Tuple.of(limit)))
                .map(rows -> rows.stream().map(RunView::of).toList());
    }

    /** Cancels the run and every job of it that has not ended. 409 once the run has ended. */
    public Uni<RunView> cancel(String adminId, UUID runId) {
        String[] cancellable = RunStatus.predecessorsOf(RunStatus.CANCELED).toArray(String[]::new);
        return Tenant.admin(adminId).transaction(pool, conn -> conn.preparedQuery(CANCEL).execute(Tuple.of(runId, cancellable))
                        .chain(rows -> {
                            if (rows.rowCount() == 0) {
                                return find(adminId, runId).map(run -> {
                                    throw new ClientErrorException("run is " + run.status() + "; only queued or running runs can be cancelled",
                                            Response.Status.CONFLICT);
                                });
                            }
                            Row run = rows.iterator().next();
                            return JobCommands.cancelRunJobs(conn, runId).chain(() -> announce(conn, run));
                        }))
                .invoke(relay::wake);
    }

    private static Uni<RunView> announce(SqlConnection conn, Row row) {
        RunView run = RunView.of(row);
        RunEvent event = new RunEvent(RunEvent.SCHEMA_VERSION, run.id(), row.getString("user_id"), RunStatus.fromDb(run.status()),
                run.considered(), run.processed(), run.extracted(), run.inserted(), run.updated(), run.pointsInserted(), Instant.now());
        return OutboxWriter.write(conn, List.of(new OutboxWriter.Entry(Topics.RUN_EVENTS, run.id().toString(), event)))
                .replaceWith(run);
    }
}
