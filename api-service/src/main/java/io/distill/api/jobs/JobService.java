package io.distill.api.jobs;

import io.distill.api.budget.DailyBudget;
import io.distill.api.errors.UniqueViolation;
import io.distill.api.outbox.OutboxRelay;
import io.distill.api.projects.ProjectService;
import io.distill.api.tenancy.Tenants;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.jobs.JobOptions;
import io.distill.model.jobs.JobTransitions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates and reads jobs. A submission is one transaction: the job row (bound to its project's
 * current version in the same statement) and its outbox message, so a job can never exist without
 * a message that will reach the workers. The budget verdict and the rate limit come from memory in
 * the common case (see {@link DailyBudget}, {@link io.distill.api.ratelimit.SubmissionRateLimit}).
 */
@ApplicationScoped
public class JobService {
    private static final String BY_KEY =
            "select id, status, request_hash from extraction_jobs where user_id = $1 and idempotency_key = $2";
    private static final String ONE =
            "select " + JobView.COLUMNS + " from extraction_jobs where id = $1 and user_id = $2";

    private final OutboxRelay relay;
    private final Tenants tenants;
    private final ProjectService projects;
    private final DailyBudget budget;
    private final int defaultMaxRetries;

    public JobService(
            OutboxRelay relay,
            Tenants tenants,
            ProjectService projects,
            DailyBudget budget,
            @ConfigProperty(name = "distill.jobs.default-max-retries") int defaultMaxRetries) {
        this.relay = relay;
        this.tenants = tenants;
        this.projects = projects;
        this.budget = budget;
        this.defaultMaxRetries = defaultMaxRetries;
    }

    /** A stored upload: the original name (data only), where it is stored, its size, format and SHA-256. */
    public record Upload(String filename, String fileUrl, long size, String format, String sha256) {}

    /** What a new job is made of, whichever way it came in. */
    private record NewJob(
            UUID id,
            String userId,
            String sourceKind,
            Upload upload,
            String format,
            String text,
            Map<String, Object> metadata,
            Map<String, Object> options,
            int maxRetries,
            Instant createdAt,
            String idempotencyKey,
            String requestHash,
            String project) {}

    /** The job a submission created, or the earlier one it repeated (same Idempotency-Key, same body). */
    public record Submission(UUID id, String status, boolean replayed) {}

    /** Refuses work while the user's daily LLM budget is spent (429), before anything is stored. */
    public Uni<Void> admit(String userId) {
        return budget.check(userId);
    }

    public Uni<Submission> submitUpload(
            String userId, Upload upload, Map<String, Object> metadata, JobOptions options, String project) {
        return create(
                newJob(userId, "upload", upload, upload.format(), null, metadata, options, null, null, null, project));
    }

    /**
     * Accepts a message. With an idempotency key, a repeat of the same body returns the first job
     * and the same key with another body is refused (409); concurrent repeats are settled by the
     * unique index on (user_id, idempotency_key).
     */
    public Uni<Submission> submitMessage(String userId, SubmitMessageRequest request, String idempotencyKey) {
        // only a repeat of the same key is compared with its first body; the hash cost ~10 % of the API's CPU
        String hash = idempotencyKey == null ? null : Json.canonicalHash(request);
        return create(newJob(
                userId,
                "message",
                null,
                "text",
                request.text(),
                request.metadata(),
                JobOptions.parse(request.options()),
                request.maxRetries(),
                idempotencyKey,
                hash,
                request.project()));
    }

    private NewJob newJob(
            String userId,
            String sourceKind,
            Upload upload,
            String format,
            String text,
            Map<String, Object> metadata,
            JobOptions options,
            Integer maxRetries,
            String idempotencyKey,
            String hash,
            String project) {
        // PostgreSQL keeps microseconds; the cursor must round-trip exactly
        return new NewJob(
                UUID.randomUUID(),
                userId,
                sourceKind,
                upload,
                format,
                text,
                metadata == null ? Map.of() : metadata,
                options.toMap(),
                maxRetries == null ? defaultMaxRetries : maxRetries,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                idempotencyKey,
                hash,
                project);
    }

    private Uni<Submission> create(NewJob job) {
        return budget.check(job.userId())
                .chain(() -> store(job))
                .onFailure(UniqueViolation::in)
                .recoverWithUni(() -> replayed(job))
                .invoke(submission -> {
                    if (!submission.replayed()) {
                        relay.wake();
                    }
                });
    }

    /**
     * The job and its message in one statement, sent with its transaction in one round trip; only a
     * template's project, which may have to be made first, takes a transaction of its own.
     */
    private Uni<Submission> store(NewJob job) {
        Uni<Boolean> inserted = ProjectService.namesTemplate(job.project())
                ? tenants.transaction(
                        job.userId(),
                        conn -> projects.bind(conn, job.userId(), job.project())
                                .chain(projectId -> JobTransitions.submit(conn, row(job, projectId))))
                : tenants.statement(
                        job.userId(),
                        conn -> JobTransitions.submit(conn, row(job, ProjectService.idOrNull(job.project()))));
        return inserted.chain(created -> {
            if (created) {
                return Uni.createFrom().item(new Submission(job.id(), JobStatus.PENDING.dbValue(), false));
            }
            return job.idempotencyKey() == null
                    ? Uni.createFrom().failure(new jakarta.ws.rs.NotFoundException("no project " + job.project()))
                    : replayed(job);
        });
    }

    private static JobTransitions.NewJob row(NewJob job, UUID projectId) {
        return new JobTransitions.NewJob(
                job.id(),
                job.userId(),
                job.sourceKind(),
                job.upload() == null ? null : job.upload().filename(),
                job.upload() == null ? null : job.upload().fileUrl(),
                job.upload() == null ? null : job.upload().size(),
                job.format(),
                job.text(),
                new JsonObject(job.metadata()),
                new JsonObject(job.options()),
                job.maxRetries(),
                job.createdAt(),
                job.idempotencyKey(),
                job.requestHash(),
                links(job.metadata()),
                job.upload() == null ? null : job.upload().sha256(),
                projectId);
    }

    /** The caller's record, field and attachment ids, from the metadata where uploads and messages carry them. */
    static JobTransitions.Links links(Map<String, Object> metadata) {
        return new JobTransitions.Links(
                textOrNull(metadata.get("recordId")),
                textOrNull(metadata.get("fieldId")),
                textOrNull(metadata.get("attachmentId")));
    }

    private static String textOrNull(Object value) {
        return value instanceof String text && !text.isBlank() && text.length() <= 255 ? text : null;
    }

    /** The earlier job of the same key: the same job when the body is the same, else 409. */
    private Uni<Submission> replayed(NewJob job) {
        return tenants.transaction(
                job.userId(),
                conn -> conn.preparedQuery(BY_KEY)
                        .execute(Tuple.of(job.userId(), job.idempotencyKey()))
                        .map(rows -> {
                            RowIterator<Row> found = rows.iterator();
                            if (!found.hasNext()) {
                                // the key is free but the project is not the user's
                                throw new jakarta.ws.rs.NotFoundException("no project " + job.project());
                            }
                            Row earlier = found.next();
                            if (!job.requestHash().equals(earlier.getString("request_hash"))) {
                                throw new ClientErrorException(
                                        "Idempotency-Key was already used with a different request body",
                                        Response.Status.CONFLICT);
                            }
                            return new Submission(earlier.getUUID("id"), earlier.getString("status"), true);
                        }));
    }

    /** The job if it exists and belongs to the user; null otherwise (callers answer 404 either way). */
    public Uni<JobView> find(String userId, UUID id) {
        return tenants.transaction(userId, conn -> conn.preparedQuery(ONE).execute(Tuple.of(id, userId)))
                .map(rows ->
                        rows.iterator().hasNext() ? JobView.of(rows.iterator().next()) : null);
    }

    /** Newest first, keyset-paginated on (created_at, id); summary columns only. */
    private static final String LIST = "select " + JobSummary.COLUMNS + " from extraction_jobs"
            + " where user_id = $1 and ($2::text is null or status = $2)"
            + " and ($3::timestamptz is null or (created_at, id) < ($3, $4::uuid))"
            + " and ($6::text is null or record_id = $6) and ($7::text is null or attachment_id = $7)"
            + " and ($8::text is null or file_url = $8)"
            + " order by created_at desc, id desc limit $5";

    /** What a list may be narrowed to besides the status: the caller's record, attachment, or stored file. */
    public record ListFilter(String recordId, String attachmentId, String fileUrl) {
        public static final ListFilter NONE = new ListFilter(null, null, null);
    }

    public Uni<JobPage> list(String userId, JobStatus status, ListFilter filter, int limit, PageCursor after) {
        Tuple params = Tuple.tuple()
                .addValue(userId)
                .addValue(status == null ? null : status.dbValue())
                .addValue(after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC))
                .addValue(after == null ? null : after.id())
                .addValue(limit + 1)
                .addValue(filter.recordId())
                .addValue(filter.attachmentId())
                .addValue(filter.fileUrl());
        return tenants.transaction(userId, conn -> conn.preparedQuery(LIST).execute(params))
                .map(rows -> page(rows.stream().map(JobSummary::of).toList(), limit));
    }

    private static JobPage page(List<JobSummary> jobs, int limit) {
        boolean more = jobs.size() > limit;
        List<JobSummary> shown = more ? jobs.subList(0, limit) : jobs;
        String next = null;
        if (more) {
            JobSummary last = shown.get(shown.size() - 1);
            next = new PageCursor(last.createdAt(), last.id()).encode();
        }
        return new JobPage(shown, next);
    }
}
