package io.distill.worker.jobs;

import io.distill.model.Stage;
import io.distill.model.jobs.JobTransitions;
import io.distill.worker.llm.LlmBudget;
import io.distill.worker.llm.LlmSettings;
import io.distill.worker.metrics.WorkerMetrics;
import io.distill.worker.pipeline.PipelineSettings;
import io.distill.worker.records.RecordWriters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every write the worker makes to a job, through the {@link JobTransitions job state machine}: a
 * claim only succeeds on a pending job or an expired lease; every later write names the lease
 * version it holds, so a worker whose lease was taken over writes nothing. An attempt writes the
 * row at its claim, at its end (result, LLM accounting and budget settlement in the same
 * transaction) and for at most two long stages between. Blocking calls, made on worker threads.
 */
@ApplicationScoped
public class JobStore {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private static final String INSERT_RESULT = """
            insert into extraction_results (job_id, user_id, extractor, payload, project_id, project_version, model,
                provider_response_id, latency_ms, prompt_tokens, completion_tokens, cost_usd, telemetry)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (job_id) do nothing""";

    /** The user's earliest completed job on the same bytes, project version and options ({@code force} aside). */
    private static final String EARLIER_RESULT = """
            select id, result from extraction_jobs
            where user_id = $1 and content_sha256 = $2 and status = 'completed' and result is not null
              and project_id is not distinct from $3 and project_version is not distinct from $4
              and (options - 'force') = ($5::jsonb - 'force') and id <> $6
            order by completed_at
            limit 1""";
    /** The earlier result row, as this job's: what it cost is not spent again. */
    private static final String COPY_RESULT = """
            insert into extraction_results (job_id, user_id, extractor, payload, project_id, project_version, model,
                provider_response_id, latency_ms, prompt_tokens, completion_tokens, cost_usd, telemetry)
            select $1, user_id, extractor, $2, project_id, project_version, model, provider_response_id, latency_ms,
                   prompt_tokens, completion_tokens, 0, telemetry
            from extraction_results where job_id = $3
            on conflict (job_id) do nothing""";

    private final Pool pool;
    private final WorkerIdentity worker;
    private final LlmBudget budget;
    private final Duration leaseDuration;
    private final int maxLeaseExpiries;
    private final BigDecimal budgetUsd;
    private final WorkerMetrics metrics;

    public JobStore(
            Pool pool,
            WorkerIdentity worker,
            LlmBudget budget,
            PipelineSettings pipeline,
            LlmSettings llm,
            WorkerMetrics metrics,
            @ConfigProperty(name = "distill.worker.lease-duration") Duration leaseDuration) {
        this.pool = pool;
        this.worker = worker;
        this.budget = budget;
        this.leaseDuration = leaseDuration;
        this.maxLeaseExpiries = pipeline.maxLeaseExpiries();
        this.budgetUsd = llm.dailyBudgetUsd();
        this.metrics = metrics;
    }

    /** Awaits {@code write} and times it: what a job waits for its row is part of its non-model time. */
    private <T> T timed(String name, Uni<T> write) {
        long t0 = System.nanoTime();
        try {
            return write.await().atMost(DB_TIMEOUT);
        } finally {
            metrics.store(name, System.nanoTime() - t0);
        }
    }

    /**
     * Takes the job if it is free to take, reserving {@code reserveUsd} of its user's LLM budget in the
     * same statement; empty when another worker holds it or it is already done.
     */
    public Optional<ClaimedJob> claim(UUID jobId, BigDecimal reserveUsd) {
        RowIterator<Row> rows = timed(
                        "claim",
                        JobTransitions.claim(
                                pool,
                                jobId,
                                worker.id(),
                                seconds(leaseDuration),
                                maxLeaseExpiries,
                                reserveUsd,
                                budgetUsd))
                .iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row r = rows.next();
        LlmBudget.Reservation reservation = r.getBoolean("reserved")
                ? new LlmBudget.Reservation(r.getString("user_id"), r.getLocalDate("budget_day"), reserveUsd)
                : null;
        return Optional.of(new ClaimedJob(
                r.getUUID("id"),
                r.getString("user_id"),
                r.getString("source_kind"),
                r.getString("source_text"),
                r.getString("file_url"),
                r.getString("filename"),
                r.getString("format"),
                map(r.getJsonObject("options")),
                map(r.getJsonObject("metadata")),
                r.getInteger("progress"),
                r.getLong("event_seq"),
                r.getInteger("retry_count"),
                r.getInteger("max_retries"),
                r.getLong("lease_version"),
                r.getUUID("project_id"),
                r.getInteger("project_version"),
                r.getString("content_sha256"),
                r.getUUID("run_id"),
                reservation));
    }

    /** Marks a long stage in the row and renews the lease; false when the lease is lost or the job was cancelled. */
    public boolean markProgress(ClaimedJob job, Stage running, int progress, long seq, Map<String, Long> timings) {
        return timed(
                                "progress",
                                JobTransitions.progress(
                                        pool,
                                        job.id(),
                                        job.leaseVersion(),
                                        progress,
                                        running,
                                        seq,
                                        seconds(leaseDuration),
                                        timingsJson(timings)))
                        .rowCount()
                == 1;
    }

    /** Renews the leases of the jobs in flight; returns the ids whose lease is still held. */
    public List<UUID> renew(Collection<ClaimedJob> held) {
        UUID[] ids = held.stream().map(ClaimedJob::id).toArray(UUID[]::new);
        Long[] versions = held.stream().map(ClaimedJob::leaseVersion).toArray(Long[]::new);
        return JobTransitions.renew(pool, ids, versions, seconds(leaseDuration)).await().atMost(DB_TIMEOUT).stream()
                .map(r -> r.getUUID("id"))
                .toList();
    }

    /** What PERSIST writes besides the job row: the result row's columns and the typed records. */
    public record Completion(
            String extractor,
            JsonObject result,
            Telemetry telemetry,
            java.util.function.Function<SqlConnection, Uni<JsonObject>> typedRecords) {}

    /** Provider telemetry kept in its own columns, so cost and latency can be queried without the payload. */
    public record Telemetry(
            String model,
            String responseId,
            Integer latencyMs,
            Integer promptTokens,
            Integer completionTokens,
            java.math.BigDecimal costUsd,
            JsonObject details) {}

    /** What an attempt spent on the model, settled with its end: requests, and the budget reserved against the cost. */
    public record Spend(int calls, LlmBudget.Reservation reservation, io.distill.worker.llm.LlmUsage usage) {
        public static final Spend NONE = new Spend(0, null, null);
    }

    /**
     * Marks the job completed (stage EMIT, announced with event {@code seq} right after), stores its
     * one result, writes its typed records and settles its LLM spend, in one transaction. False (and
     * nothing written) if the lease was lost.
     */
    public boolean complete(ClaimedJob job, long seq, Completion completion, Map<String, Long> timings, Spend spend) {
        return timed(
                "complete",
                transactionEndingWith(
                                conn -> completion.typedRecords().apply(conn).chain(records -> {
                                    JsonObject result = records.isEmpty()
                                            ? completion.result()
                                            : completion.result().copy().put("records", records);
                                    // the result row goes out with the job row's change, not after its answer:
                                    // if the lease was lost, both roll back with the typed writes, whatever the
                                    // result row's own answer was
                                    return Uni.combine()
                                            .all()
                                            .unis(
                                                    JobTransitions.complete(
                                                            conn,
                                                            job.id(),
                                                            job.leaseVersion(),
                                                            seq,
                                                            result,
                                                            timingsJson(timings),
                                                            spend.calls(),
                                                            RecordWriters.stored(records),
                                                            null),
                                                    insertResult(conn, job, completion, result)
                                                            .replaceWith((Throwable) null)
                                                            .onFailure()
                                                            .recoverWithItem(failure -> failure))
                                            .collectFailures()
                                            .withUni((done, resultFailure) -> {
                                                if (done.rowCount() == 0) {
                                                    return Uni.createFrom().failure(new LeaseLost());
                                                }
                                                return resultFailure == null
                                                        ? Uni.createFrom().voidItem()
                                                        : Uni.createFrom().failure(resultFailure);
                                            });
                                }),
                                (conn, done) -> budget.settle(conn, spend.reservation(), spend.usage()))
                        .replaceWith(true)
                        .onFailure(LeaseLost.class)
                        .recoverWithItem(false));
    }

    private static Uni<Void> insertResult(
            SqlConnection conn, ClaimedJob job, Completion completion, JsonObject result) {
        Telemetry t = completion.telemetry();
        return conn.preparedQuery(INSERT_RESULT)
                .execute(Tuple.tuple()
                        .addValue(job.id())
                        .addValue(job.userId())
                        .addValue(completion.extractor())
                        .addValue(result)
                        .addValue(job.projectId())
                        .addValue(job.projectVersion())
                        .addValue(t.model())
                        .addValue(t.responseId())
                        .addValue(t.latencyMs())
                        .addValue(t.promptTokens())
                        .addValue(t.completionTokens())
                        .addValue(t.costUsd())
                        .addValue(t.details()))
                .replaceWithVoid();
    }

    /**
     * A transaction whose first statement goes out together with its begin, and whose last statement
     * goes out together with its commit. That last statement settles the LLM spend on the user's row
     * of the day, which every job of the user also writes at its claim: sent with the commit, the row
     * stays locked inside PostgreSQL alone, not across a round trip to this worker, whose event loops
     * are busy at high concurrency (at C = 256 the settlement waited 9 ms per job on average while it
     * followed the transaction's other statements). If it fails, PostgreSQL answers the commit with a
     * rollback. The client sends a connection's statements in order, so the work's statements still
     * follow the begin.
     */
    private <T> Uni<T> transactionEndingWith(
            Function<SqlConnection, Uni<T>> work, BiFunction<SqlConnection, T, Uni<Void>> last) {
        return pool.withConnection(conn -> Uni.combine()
                .all()
                .unis(conn.query("begin").execute(), Uni.createFrom().deferred(() -> work.apply(conn)))
                .collectFailures()
                .with((begun, value) -> value)
                .chain(value -> Uni.combine()
                        .all()
                        .unis(last.apply(conn, value), conn.query("commit").execute())
                        .collectFailures()
                        .with(answers -> value))
                .onFailure()
                .call(() -> conn.query("rollback").execute().onFailure().recoverWithNull()));
    }

    /**
     * Completes an upload with a copy of the result of the user's earlier job on the same bytes, the
     * same project version and the same options (besides {@code force}): no stage runs, no model is
     * called, the claim's budget reservation is released. Empty (nothing written) when there is no
     * such job; the earlier job's id when the copy was made; {@link LeaseLostException} when the lease was lost.
     */
    public Optional<UUID> completeAsCopy(ClaimedJob job, long seq) {
        return transactionEndingWith(
                        conn -> conn.preparedQuery(EARLIER_RESULT)
                                .execute(Tuple.tuple()
                                        .addValue(job.userId())
                                        .addValue(job.contentSha256())
                                        .addValue(job.projectId())
                                        .addValue(job.projectVersion())
                                        .addValue(new JsonObject(job.options()))
                                        .addValue(job.id()))
                                .chain(rows -> {
                                    RowIterator<Row> found = rows.iterator();
                                    if (!found.hasNext()) {
                                        return Uni.createFrom().item(Optional.<UUID>empty());
                                    }
                                    Row earlier = found.next();
                                    UUID earlierId = earlier.getUUID("id");
                                    JsonObject result = earlier.getJsonObject("result")
                                            .copy()
                                            .put("reusedFrom", earlierId.toString());
                                    return JobTransitions.complete(
                                                    conn,
                                                    job.id(),
                                                    job.leaseVersion(),
                                                    seq,
                                                    result,
                                                    new JsonObject(),
                                                    0,
                                                    JobTransitions.Stored.NOTHING,
                                                    earlierId)
                                            .chain(done -> done.rowCount() == 0
                                                    ? Uni.createFrom().failure(new LeaseLost())
                                                    : conn.preparedQuery(COPY_RESULT)
                                                            .execute(Tuple.of(job.id(), result, earlierId))
                                                            .replaceWith(Optional.of(earlierId)));
                                }),
                        (conn, copied) -> copied.isPresent()
                                ? budget.settle(conn, job.reservation(), null)
                                : Uni.createFrom().voidItem())
                .onFailure(LeaseLost.class)
                .transform(lost -> new io.distill.worker.pipeline.LeaseLostException(job.id()))
                .await()
                .atMost(DB_TIMEOUT);
    }

    /** Rolls a completion back when the lease turned out to be lost. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    /** Progress and event sequence as stored: the numbers of the attempt's last event. */
    public record Progress(int progress, long seq) {}

    /**
     * Ends this attempt with an error at {@code stage}, announced with event {@code seq}: back to
     * pending at {@code retryAt}, or failed when {@code retryAt} is null; its LLM spend settled in the
     * same transaction. Empty if the lease was lost.
     */
    public Optional<Progress> fail(
            ClaimedJob job,
            long seq,
            Stage stage,
            String errorCode,
            String message,
            Instant retryAt,
            Map<String, Long> timings,
            Spend spend) {
        return transactionEndingWith(
                        conn -> JobTransitions.endAttempt(
                                        conn,
                                        job.id(),
                                        job.leaseVersion(),
                                        errorCode,
                                        truncate(message),
                                        retryAt,
                                        seq,
                                        stage,
                                        timingsJson(timings),
                                        spend.calls())
                                .chain(rows -> {
                                    RowIterator<Row> ended = rows.iterator();
                                    if (!ended.hasNext()) {
                                        return Uni.createFrom().item(Optional.<Progress>empty());
                                    }
                                    Row row = ended.next();
                                    return Uni.createFrom()
                                            .item(Optional.of(new Progress(
                                                    row.getInteger("progress"), row.getLong("event_seq"))));
                                }),
                        (conn, ended) -> ended.isPresent()
                                ? budget.settle(conn, spend.reservation(), spend.usage())
                                : Uni.createFrom().voidItem())
                .await()
                .atMost(DB_TIMEOUT);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 2000);
    }

    private static JsonObject timingsJson(Map<String, Long> timings) {
        return new JsonObject(new java.util.HashMap<String, Object>(timings));
    }

    private static Map<String, Object> map(JsonObject json) {
        return json == null ? Map.of() : json.getMap();
    }
}
