package io.distill.api.runs;

import io.distill.api.outbox.OutboxRelay;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.RunEvent;
import io.distill.model.RunStatus;
import io.distill.model.Topics;
import io.distill.model.jobs.JobTransitions;
import io.distill.model.jobs.Outbox;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Extraction runs (an admin operation): a batch of eligible jobs (pending, failed with a retryable
 * error, or held under an expired lease) sent to the workers together and followed as one. Starting
 * a run creates it {@code queued}, tags and enqueues its jobs in one transaction; the worker's
 * sweeper marks it {@code running} once a worker has taken one of its jobs, keeps its counters, and
 * ends it when its last job ends.
 */
@ApplicationScoped
public class RunService {
    private static final String INSERT_RUN = """
            insert into extraction_runs (id, user_id, started_by, status, trigger_type, trigger_ref, meta)
            values ($1, $2, $3, 'queued', $4, $5, $6)""";
    private static final String SET_CONSIDERED = """
            update extraction_runs set considered = $2,
                status = case when $2 = 0 then 'succeeded' else status end,
                finished_at = case when $2 = 0 then now() end
            where id = $1
            returning\s""" + RunView.COLUMNS;
    private static final String CANCEL = "update extraction_runs set status = 'canceled', finished_at = now() "
            + "where id = $1 and status = any($2) returning " + RunView.COLUMNS;
    private static final String ONE = "select " + RunView.COLUMNS + " from extraction_runs where id = $1";
    private static final String RECENT =
            "select " + RunView.COLUMNS + " from extraction_runs order by created_at desc limit $1";
    private static final String LATEST =
            "select " + RunView.COLUMNS + " from extraction_runs where user_id = $1 order by created_at desc limit 1";

    private final Pool pool;
    private final OutboxRelay relay;

    public RunService(@io.quarkus.reactive.datasource.ReactiveDataSource("admin") Pool pool, OutboxRelay relay) {
        this.pool = pool;
        this.relay = relay;
    }

    /** Starts a run on behalf of {@code adminId} over the jobs in scope (runs are an admin operation, across users). */
    public Uni<RunView> start(String adminId, String triggerType, String triggerRef, RunScope scope) {
        UUID runId = UUID.randomUUID();
        JsonObject meta = new JsonObject(Json.mapper().convertValue(scope, Map.class));
        JobTransitions.RunScope jobs = new JobTransitions.RunScope(
                scope.userId(),
                scope.statusesOrDefault().stream().map(JobStatus::fromDb).toList(),
                scope.sourceKind(),
                scope.createdBefore(),
                scope.limitOrDefault());
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT_RUN)
                        .execute(Tuple.tuple()
                                .addValue(runId)
                                .addValue(scope.userId())
                                .addValue(adminId)
                                .addValue(triggerType)
                                .addValue(triggerRef)
                                .addValue(meta))
                        .chain(() -> JobTransitions.pickForRun(conn, runId, jobs))
                        .chain(picked -> conn.preparedQuery(SET_CONSIDERED).execute(Tuple.of(runId, picked.size())))
                        .chain(rows -> announce(conn, rows.iterator().next())))
                .invoke(relay::wake);
    }

    public Uni<RunView> find(String adminId, UUID runId) {
        return pool.withTransaction(conn -> conn.preparedQuery(ONE).execute(Tuple.of(runId)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no run " + runId);
                    }
                    return RunView.of(rows.iterator().next());
                });
    }

    /** The newest run over one user's jobs; 404 when there is none. */
    public Uni<RunView> latest(String userId) {
        return pool.withTransaction(conn -> conn.preparedQuery(LATEST).execute(Tuple.of(userId)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no run for user " + userId);
                    }
                    return RunView.of(rows.iterator().next());
                });
    }

    public Uni<List<RunView>> recent(String adminId, int limit) {
        return pool.withTransaction(conn -> conn.preparedQuery(RECENT).execute(Tuple.of(limit)))
                .map(rows -> rows.stream().map(RunView::of).toList());
    }

    /** Cancels the run and every job of it that has not ended. 409 once the run has ended. */
    public Uni<RunView> cancel(String adminId, UUID runId) {
        String[] cancellable = RunStatus.predecessorsOf(RunStatus.CANCELED).toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery(CANCEL)
                        .execute(Tuple.of(runId, cancellable))
                        .chain(rows -> {
                            if (rows.rowCount() == 0) {
                                return find(adminId, runId).map(run -> {
                                    throw new ClientErrorException(
                                            "run is " + run.status() + "; only queued or running runs can be cancelled",
                                            Response.Status.CONFLICT);
                                });
                            }
                            Row run = rows.iterator().next();
                            return JobTransitions.cancelRun(conn, runId).chain(() -> announce(conn, run));
                        }))
                .invoke(relay::wake);
    }

    private static Uni<RunView> announce(SqlConnection conn, Row row) {
        RunView run = RunView.of(row);
        RunEvent event = new RunEvent(
                RunEvent.SCHEMA_VERSION,
                run.id(),
                run.userId(),
                RunStatus.fromDb(run.status()),
                run.considered(),
                run.processed(),
                run.extracted(),
                run.inserted(),
                run.updated(),
                run.pointsInserted(),
                run.errorCode(),
                Instant.now());
        return Outbox.write(
                        conn,
                        List.of(new Outbox.Entry(Topics.RUN_EVENTS, run.id().toString(), event)))
                .replaceWith(run);
    }
}
