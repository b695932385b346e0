package io.distill.model.jobs;

import io.distill.model.ErrorClass;
import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.model.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The job state machine in one place: every change of {@code extraction_jobs.status} — submit,
 * claim, complete, end an attempt (fail or reschedule), cancel, retry, pick up for a run, fail a
 * poison job — is a statement here, guarded by the transitions {@link JobStatus} allows (and the
 * database's {@code extraction_jobs_legal_transition} trigger refuses any other). Each one moves
 * {@code event_seq} and returns the row its progress event is made of ({@link #eventOf}); the
 * API's transitions also write that event, and a job message where the job goes back to the
 * workers, to the {@link Outbox} in the same transaction.
 *
 * <p>Sequence numbers: a claim reserves {@link #SEQ_BLOCK} numbers ({@code seq_reserved}); the
 * attempt numbers its events from that block without writing the row for each, and its writes
 * store the number of the event they announce. Whatever comes next (a cancel, a retry, the next
 * claim) starts above the block, so events stay monotonic across attempts, workers and crashes.
 */
public final class JobTransitions {
    /** Event numbers one attempt may use: its claim, stage events, and its end. */
    public static final int SEQ_BLOCK = 16;
    /** The columns every transition returns: what its progress event says. */
    public static final String EVENT_COLUMNS =
            "id, user_id, status, progress, current_stage, event_seq, error_code, error_message";

    private static final String NEXT_SEQ = "greatest(event_seq, seq_reserved) + 1";

    // --- the API

    private static final String SUBMIT_COLUMNS =
            "id, user_id, source_kind, filename, file_url, file_size, format, source_text, metadata,"
                    + " options, status, max_retries, created_at, idempotency_key, request_hash, record_id, field_id,"
                    + " attachment_id, content_sha256, enqueued_at, project_id, project_version";
    private static final String SUBMIT_UNLESS_REPEATED =
            " on conflict (user_id, idempotency_key) where idempotency_key is not null do nothing returning id";
    private static final String SUBMIT_VALUES =
            "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $13, $14, $15, $16, $17, $18, now()";
    // one statement each: the job and its message ($19-$22), or neither (a repeated key, a project not found)
    private static final String SUBMIT = "with job as (insert into extraction_jobs (" + SUBMIT_COLUMNS + ") values ("
            + SUBMIT_VALUES + ", null, null)" + SUBMIT_UNLESS_REPEATED + ") " + Outbox.insertFor("job", 19);
    /** Bound to the current version of one of the user's projects ($23), read in the same statement. */
    private static final String SUBMIT_FOR_PROJECT = "with job as (insert into extraction_jobs (" + SUBMIT_COLUMNS
            + ") select " + SUBMIT_VALUES + ", p.id, p.current_version from projects p"
            + " where p.id = $23 and p.user_id = $2 and p.deleted_at is null" + SUBMIT_UNLESS_REPEATED + ") "
            + Outbox.insertFor("job", 19);

    // a worker on the job notices at its next lease renewal or stage boundary: its writes require 'processing'
    private static final String CANCEL =
            "update extraction_jobs set status = 'cancelled', completed_at = now(), next_retry_at = null,"
                    + " lease_owner = null, lease_expires_at = null, event_seq = " + NEXT_SEQ
                    + " where id = $1 and user_id = $2 and status in ('pending', 'processing') returning "
                    + EVENT_COLUMNS;
    private static final String CANCEL_RUN =
            "update extraction_jobs set status = 'cancelled', completed_at = now(), next_retry_at = null,"
                    + " lease_owner = null, lease_expires_at = null, event_seq = " + NEXT_SEQ
                    + " where run_id = $1 and status in ('pending', 'processing') returning " + EVENT_COLUMNS;
    private static final String RETRY =
            "update extraction_jobs set status = 'pending', retry_count = 0, next_retry_at = null,"
                    + " error_code = null, error_message = null, completed_at = null, enqueued_at = now(), lease_expiries = 0,"
                    + " event_seq = " + NEXT_SEQ + " where id = $1 and user_id = $2 and status = 'failed' returning "
                    + EVENT_COLUMNS;
    private static final String PICK_FOR_RUN = """
            update extraction_jobs set run_id = $1, status = 'pending', retry_count = 0, next_retry_at = null,
                error_code = null, error_message = null, completed_at = null, enqueued_at = now(), lease_expiries = 0,
                lease_owner = null, lease_expires_at = null, event_seq = greatest(event_seq, seq_reserved) + 1,
                records_inserted = 0, records_updated = 0, points_inserted = 0
            where id in (
                select id from extraction_jobs
                where ($2::text is null or user_id = $2) and ($4::text is null or source_kind = $4)
                  and ($5::timestamptz is null or created_at < $5)
                  and ((status = 'pending' and 'pending' = any($3))
                       or (status = 'failed' and 'failed' = any($3) and split_part(error_code, ':', 1) = any($7))
                       or (status = 'processing' and 'processing' = any($3) and lease_expires_at < now()))
                order by created_at limit $6
                for update skip locked)
            returning\s""" + EVENT_COLUMNS;
    private static final String STATUS_OF = "select status from extraction_jobs where id = $1 and user_id = $2";
    /** Users with jobs a run would take: pending, failed with a retryable error, or held under an expired lease. */
    private static final String USERS_WITH_ELIGIBLE_JOBS = """
            select distinct user_id from extraction_jobs
            where created_at < $1
              and (status = 'pending' or (status = 'failed' and split_part(error_code, ':', 1) = any($2))
                   or (status = 'processing' and lease_expires_at < now()))""";

    // --- the workers

    /**
     * Takes the job under a new lease and, for a paid extractor, sets aside a first part of its LLM
     * budget ($6, refused past the day's budget $7) in the same statement.
     */
    private static final String CLAIM = """
            with claimed as (
                update extraction_jobs set
                    status = 'processing', lease_owner = $2,
                    lease_expires_at = now() + make_interval(secs => $3), lease_version = lease_version + 1,
                    started_at = coalesce(started_at, now()), current_stage = 'LOAD',
                    event_seq = greatest(event_seq, seq_reserved) + 1,
                    seq_reserved = greatest(event_seq, seq_reserved) + $5,
                    error_code = null, error_message = null,
                    lease_expiries = lease_expiries + (case when status = 'processing' then 1 else 0 end)
                where id = $1 and (
                    (status = 'pending' and (next_retry_at is null or next_retry_at <= now()))
                    or (status = 'processing' and lease_expires_at < now() and lease_expiries + 1 < $4))
                returning id, user_id, source_kind, source_text, file_url, filename, format, options, metadata,
                          progress, event_seq, retry_count, max_retries, lease_version, project_id, project_version,
                          content_sha256, run_id),
            reserved as (
                insert into llm_spend as s (user_id, day, reserved_usd)
                select user_id, (now() at time zone 'utc')::date, $6::numeric from claimed
                where $6::numeric > 0 and $6::numeric <= $7::numeric
                on conflict (user_id, day) do update set reserved_usd = s.reserved_usd + excluded.reserved_usd
                    where s.cost_usd + s.reserved_usd + excluded.reserved_usd <= $7::numeric
                returning 1)
            select claimed.*, (select count(*) from reserved) > 0 as reserved, (now() at time zone 'utc')::date as budget_day
            from claimed""";
    /** A progress mark worth showing a late subscriber: no status change, the lease renewed. */
    private static final String PROGRESS = """
            update extraction_jobs set
                progress = greatest(progress, $3), current_stage = $4, event_seq = greatest(event_seq, $5),
                lease_expires_at = now() + make_interval(secs => $6), stage_timings = stage_timings || $7
            where id = $1 and lease_version = $2 and status = 'processing'
            returning progress, event_seq""";

    private static final String RENEW = """
            update extraction_jobs j set lease_expires_at = now() + make_interval(secs => $3)
            from unnest($1::uuid[], $2::bigint[]) as held(id, version)
            where j.id = held.id and j.lease_version = held.version and j.status = 'processing'
            returning j.id""";
    private static final String COMPLETE = """
            update extraction_jobs set
                status = 'completed', progress = 100, current_stage = 'EMIT', event_seq = greatest(event_seq, $3),
                result = $4, stage_timings = stage_timings || $5, completed_at = now(),
                lease_owner = null, lease_expires_at = null, next_retry_at = null, llm_calls = llm_calls + $6,
                records_inserted = $7, records_updated = $8, points_inserted = $9, reused_from = $10
            where id = $1 and lease_version = $2 and status = 'processing'
            returning event_seq""";
    /** Fails the attempt: 'failed' for good, or back to 'pending' until next_retry_at. */
    private static final String END_ATTEMPT = """
            update extraction_jobs set
                status = $3, error_code = $4, error_message = $5, event_seq = greatest(event_seq, $6), current_stage = $7,
                retry_count = retry_count + $8, next_retry_at = $9, stage_timings = stage_timings || $10,
                completed_at = case when $3 = 'failed' then now() end, llm_calls = llm_calls + $11,
                lease_owner = null, lease_expires_at = null
            where id = $1 and lease_version = $2 and status = 'processing' and $3 in ('failed', 'pending')
            returning progress, event_seq""";
    /** Jobs nobody is working on: retries due, leases expired, messages lost. No status change: the claim decides. */
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
    /** Jobs whose lease expired once too often (their worker died or hung each time): failed, never claimed again. */
    private static final String FAIL_POISONED = """
            update extraction_jobs set status = 'failed', error_code = 'internal_error',
                error_message = 'poison: its lease expired ' || (lease_expiries + 1) || ' times (the worker running it stopped each time)',
                completed_at = now(), event_seq = greatest(event_seq, seq_reserved) + 1, lease_owner = null, lease_expires_at = null,
                next_retry_at = null, lease_expiries = lease_expiries + 1
            where id in (
                select id from extraction_jobs
                where status = 'processing' and lease_expires_at < now() and lease_expiries + 1 >= $1
                limit $2
                for update skip locked)
            returning\s""" + EVENT_COLUMNS;
    /** Each unfinished run's jobs by outcome, and what they stored: the counters RunTracker keeps. */
    public static final String RUN_COUNTS = """
            select r.id,
                   count(j.id) filter (where j.status <> 'pending') as started,
                   count(j.id) filter (where j.status in ('completed', 'failed', 'cancelled')) as processed,
                   count(j.id) filter (where j.status = 'completed') as extracted,
                   count(j.id) filter (where j.status = 'failed') as failed,
                   coalesce(sum(j.records_inserted) filter (where j.status = 'completed'), 0)::int as inserted,
                   coalesce(sum(j.records_updated) filter (where j.status = 'completed'), 0)::int as updated,
                   coalesce(sum(j.points_inserted) filter (where j.status = 'completed'), 0)::int as points_inserted,
                   string_agg(distinct split_part(j.error_code, ':', 1), ', ') filter (where j.status = 'failed') as failed_codes
            from extraction_runs r left join extraction_jobs j on j.run_id = r.id
            where r.status in ('queued', 'running')
            group by r.id""";

    private JobTransitions() {}

    // --- the API's transitions

    /** A new job as the API stores it; {@code projectId} null for none. */
    public record NewJob(
            UUID id,
            String userId,
            String sourceKind,
            String filename,
            String fileUrl,
            Long fileSize,
            String format,
            String text,
            JsonObject metadata,
            JsonObject options,
            int maxRetries,
            Instant createdAt,
            String idempotencyKey,
            String requestHash,
            Links links,
            String contentSha256,
            UUID projectId) {}

    /** Where a job came from in the caller's own data (any of them null). */
    public record Links(String recordId, String fieldId, String attachmentId) {
        public static final Links NONE = new Links(null, null, null);
    }

    /**
     * ∅ → pending, with its job message in the outbox, in one statement (so a caller can send it in
     * one round trip with its transaction). False when nothing was inserted: the idempotency key was
     * used already, or the project is not the user's.
     */
    public static Uni<Boolean> submit(SqlClient conn, NewJob job) {
        Tuple row = Tuple.tuple()
                .addValue(job.id())
                .addValue(job.userId())
                .addValue(job.sourceKind())
                .addValue(job.filename())
                .addValue(job.fileUrl())
                .addValue(job.fileSize())
                .addValue(job.format())
                .addValue(job.text())
                .addValue(job.metadata())
                .addValue(job.options())
                .addValue(job.maxRetries())
                .addValue(job.createdAt().atOffset(ZoneOffset.UTC))
                .addValue(job.idempotencyKey())
                .addValue(job.requestHash())
                .addValue(job.links().recordId())
                .addValue(job.links().fieldId())
                .addValue(job.links().attachmentId())
                .addValue(job.contentSha256());
        Outbox.parameters(row, jobMessage(job.id(), job.userId()));
        String sql = SUBMIT;
        if (job.projectId() != null) {
            row.addValue(job.projectId());
            sql = SUBMIT_FOR_PROJECT;
        }
        return conn.preparedQuery(sql).execute(row).map(rows -> rows.rowCount() == 1);
    }

    /** pending | processing → cancelled, announced. Empty when the job is not the user's or has ended. */
    public static Uni<List<ProgressEvent>> cancel(SqlClient conn, String userId, UUID jobId) {
        return announce(conn, conn.preparedQuery(CANCEL).execute(Tuple.of(jobId, userId)), false);
    }

    /** Every unfinished job of a run → cancelled, announced (an admin operation). */
    public static Uni<List<ProgressEvent>> cancelRun(SqlClient conn, UUID runId) {
        return announce(conn, conn.preparedQuery(CANCEL_RUN).execute(Tuple.of(runId)), false);
    }

    /** failed → pending with a fresh retry budget, announced and sent to the workers. */
    public static Uni<List<ProgressEvent>> retry(SqlClient conn, String userId, UUID jobId) {
        return announce(conn, conn.preparedQuery(RETRY).execute(Tuple.of(jobId, userId)), true);
    }

    /** The error classes a run tries again: the transient ones ({@link ErrorClass#retryable()}), never a validation error. */
    private static final String[] RETRYABLE_CODES = java.util.Arrays.stream(ErrorClass.values())
            .filter(ErrorClass::retryable)
            .map(ErrorClass::code)
            .toArray(String[]::new);

    /**
     * Which jobs a run takes: one user's or everyone's (null), by source kind and age, oldest first,
     * among the eligible ones of the statuses named: {@code pending}; {@code failed} with a retryable
     * error; {@code processing} under an expired lease (its worker is gone).
     */
    public record RunScope(
            String userId, List<JobStatus> statuses, String sourceKind, Instant createdBefore, int limit) {}

    /** pending | failed | processing (lease expired) → pending, tagged with the run, announced and sent to the workers. */
    public static Uni<List<ProgressEvent>> pickForRun(SqlClient conn, UUID runId, RunScope scope) {
        Tuple params = Tuple.tuple()
                .addValue(runId)
                .addValue(scope.userId())
                .addValue(scope.statuses().stream().map(JobStatus::dbValue).toArray(String[]::new))
                .addValue(scope.sourceKind())
                .addValue(
                        scope.createdBefore() == null
                                ? null
                                : scope.createdBefore().atOffset(ZoneOffset.UTC))
                .addValue(scope.limit())
                .addValue(RETRYABLE_CODES);
        return announce(conn, conn.preparedQuery(PICK_FOR_RUN).execute(params), true);
    }

    /** The job's status, or null when it does not exist or is not the user's. */
    public static Uni<JobStatus> statusOf(SqlClient conn, String userId, UUID jobId) {
        return conn.preparedQuery(STATUS_OF)
                .execute(Tuple.of(jobId, userId))
                .map(rows -> rows.rowCount() == 0
                        ? null
                        : JobStatus.fromDb(rows.iterator().next().getString("status")));
    }

    /** Users with jobs a run would take, created before {@code cutoff} (the daily schedule's scope). */
    public static Uni<List<String>> usersWithEligibleJobs(SqlClient conn, Instant cutoff) {
        return conn.preparedQuery(USERS_WITH_ELIGIBLE_JOBS)
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), RETRYABLE_CODES))
                .map(rows -> rows.stream().map(r -> r.getString("user_id")).toList());
    }

    private static Uni<List<ProgressEvent>> announce(SqlClient conn, Uni<RowSet<Row>> transition, boolean toWorkers) {
        return transition.chain(rows -> {
            List<ProgressEvent> events = new ArrayList<>();
            List<Outbox.Entry> messages = new ArrayList<>();
            for (Row row : rows) {
                ProgressEvent event = eventOf(row);
                events.add(event);
                messages.add(new Outbox.Entry(Topics.JOB_EVENTS, event.jobId().toString(), event));
                if (toWorkers) {
                    messages.add(jobMessage(event.jobId(), event.userId()));
                }
            }
            return Outbox.write(conn, messages).replaceWith(events);
        });
    }

    private static Outbox.Entry jobMessage(UUID jobId, String userId) {
        return new Outbox.Entry(Topics.JOBS, jobId.toString(), JobMessage.of(jobId, userId));
    }

    // --- the workers' transitions (blocking callers await these)

    /**
     * pending (due) | processing (lease expired, not yet poison) → processing, under a new lease,
     * reserving {@code reserveUsd} of the user's daily LLM budget {@code budgetUsd} (zero: none).
     */
    public static Uni<RowSet<Row>> claim(
            SqlClient pool,
            UUID jobId,
            String owner,
            double leaseSeconds,
            int maxLeaseExpiries,
            java.math.BigDecimal reserveUsd,
            java.math.BigDecimal budgetUsd) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.tuple()
                        .addValue(jobId)
                        .addValue(owner)
                        .addValue(leaseSeconds)
                        .addValue(maxLeaseExpiries)
                        .addValue(SEQ_BLOCK)
                        .addValue(reserveUsd)
                        .addValue(budgetUsd));
    }

    /** A stage's mark in the row (no status change): the stage running now, the progress, the event's number. */
    public static Uni<RowSet<Row>> progress(
            SqlClient pool,
            UUID jobId,
            long leaseVersion,
            int progress,
            Stage running,
            long seq,
            double leaseSeconds,
            JsonObject timings) {
        return pool.preparedQuery(PROGRESS)
                .execute(Tuple.tuple()
                        .addValue(jobId)
                        .addValue(leaseVersion)
                        .addValue(progress)
                        .addValue(running.name())
                        .addValue(seq)
                        .addValue(leaseSeconds)
                        .addValue(timings));
    }

    public static Uni<RowSet<Row>> renew(SqlClient pool, UUID[] ids, Long[] versions, double leaseSeconds) {
        return pool.preparedQuery(RENEW).execute(Tuple.of(ids, versions, leaseSeconds));
    }

    /** processing → completed with the result, inside the caller's transaction (beside the result and typed rows). */
    public static Uni<RowSet<Row>> complete(
            SqlClient conn,
            UUID jobId,
            long leaseVersion,
            long seq,
            JsonObject result,
            JsonObject timings,
            int llmCalls,
            Stored stored,
            UUID reusedFrom) {
        return conn.preparedQuery(COMPLETE)
                .execute(Tuple.tuple()
                        .addValue(jobId)
                        .addValue(leaseVersion)
                        .addValue(seq)
                        .addValue(result)
                        .addValue(timings)
                        .addValue(llmCalls)
                        .addValue(stored.inserted())
                        .addValue(stored.updated())
                        .addValue(stored.points())
                        .addValue(reusedFrom));
    }

    /** What a completed job stored in the typed tables: new records, records that existed, and points; runs add these up. */
    public record Stored(int inserted, int updated, int points) {
        public static final Stored NOTHING = new Stored(0, 0, 0);
    }

    /** processing → failed, or → pending until {@code retryAt} (a scheduled retry). */
    public static Uni<RowSet<Row>> endAttempt(
            SqlClient pool,
            UUID jobId,
            long leaseVersion,
            String errorCode,
            String message,
            Instant retryAt,
            long seq,
            Stage stage,
            JsonObject timings,
            int llmCalls) {
        JobStatus next = retryAt == null ? JobStatus.FAILED : JobStatus.PENDING;
        OffsetDateTime due = retryAt == null ? null : retryAt.atOffset(ZoneOffset.UTC);
        return pool.preparedQuery(END_ATTEMPT)
                .execute(Tuple.tuple()
                        .addValue(jobId)
                        .addValue(leaseVersion)
                        .addValue(next.dbValue())
                        .addValue(errorCode)
                        .addValue(message)
                        .addValue(seq)
                        .addValue(stage.name())
                        .addValue(retryAt == null ? 0 : 1)
                        .addValue(due)
                        .addValue(timings)
                        .addValue(llmCalls));
    }

    public static Uni<RowSet<Row>> due(SqlClient pool, double stuckAfterSeconds, int limit) {
        return pool.preparedQuery(DUE).execute(Tuple.of(stuckAfterSeconds, limit));
    }

    /** processing (lease expired {@code maxLeaseExpiries} times) → failed as poison. */
    public static Uni<List<ProgressEvent>> failPoisoned(SqlClient pool, int maxLeaseExpiries, int limit) {
        return pool.preparedQuery(FAIL_POISONED)
                .execute(Tuple.of(maxLeaseExpiries, limit))
                .map(rows -> rows.stream().map(JobTransitions::eventOf).toList());
    }

    /** The event a transition announces, from the row it returned ({@link #EVENT_COLUMNS}). */
    public static ProgressEvent eventOf(Row row) {
        String stage = row.getString("current_stage");
        return ProgressEvent.of(
                        row.getUUID("id"),
                        row.getString("user_id"),
                        stage == null ? Stage.QUEUED : Stage.valueOf(stage),
                        JobStatus.fromDb(row.getString("status")),
                        row.getInteger("progress"),
                        row.getLong("event_seq"))
                .withError(row.getString("error_code"), row.getString("error_message"));
    }
}
