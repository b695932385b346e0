package io.distill.api.jobs;

import io.distill.api.outbox.OutboxEntry;
import io.distill.api.outbox.OutboxRelay;
import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.api.tenancy.Tenant;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates and reads jobs. A submission writes the job row and its outbox message in one
 * transaction, so a job can never exist without a message that will reach the workers.
 */
@ApplicationScoped
public class JobService {
    private final OutboxRelay relay;
    private final int defaultMaxRetries;

    public JobService(OutboxRelay relay, @ConfigProperty(name = "distill.jobs.default-max-retries") int defaultMaxRetries) {
        this.relay = relay;
        this.defaultMaxRetries = defaultMaxRetries;
    }

    /** The job a submission created, or the earlier one it repeated (same Idempotency-Key, same body). */
    public record Submission(JobEntity job, boolean replayed) {
    }

    /**
     * Accepts a message. With an idempotency key, a repeat of the same body returns the first job
     * and the same key with another body is refused (409); concurrent repeats are settled by the
     * unique index on (user_id, idempotency_key).
     */
    public Uni<Submission> submitMessage(String userId, SubmitMessageRequest request, String idempotencyKey) {
        String hash = Json.canonicalHash(request);
        if (idempotencyKey == null) {
            return create(userId, request, null, hash).map(job -> new Submission(job, false));
        }
        return findByKey(userId, idempotencyKey).chain(existing -> existing != null
                ? Uni.createFrom().item(replay(existing, hash))
                : create(userId, request, idempotencyKey, hash).map(job -> new Submission(job, false))
                        .onFailure(JobService::isUniqueViolation)
                        .recoverWithUni(() -> findByKey(userId, idempotencyKey).map(raced -> replay(raced, hash))));
    }

    private static Submission replay(JobEntity existing, String hash) {
        if (!existing.requestHash.equals(hash)) {
            throw new ClientErrorException("Idempotency-Key was already used with a different request body", Response.Status.CONFLICT);
        }
        return new Submission(existing, true);
    }

    private Uni<JobEntity> findByKey(String userId, String key) {
        return Tenant.user(userId).panacheTransaction(() -> JobEntity.<JobEntity>find("userId = ?1 and idempotencyKey = ?2", userId, key).firstResult());
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Hibernate Reactive converts the driver's error; either way SQLSTATE 23505 is unique_violation
            if (t instanceof org.hibernate.JDBCException jdbc && "23505".equals(jdbc.getSQLState())
                    || t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private Uni<JobEntity> create(String userId, SubmitMessageRequest request, String idempotencyKey, String hash) {
        JobEntity job = new JobEntity();
        job.idempotencyKey = idempotencyKey;
        job.requestHash = hash;
        job.id = UUID.randomUUID();
        job.userId = userId;
        job.sourceKind = "message";
        job.format = "text";
        job.sourceText = request.text();
        job.metadata = request.metadata() == null ? Map.of() : request.metadata();
        job.options = request.options() == null ? Map.of() : request.options();
        job.status = JobStatus.PENDING.dbValue();
        job.maxRetries = request.maxRetries() == null ? defaultMaxRetries : request.maxRetries();
        // PostgreSQL keeps microseconds; the cursor must round-trip exactly
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        OutboxEntry message = OutboxEntry.of(Topics.JOBS, job.id.toString(), Json.write(JobMessage.of(job.id, userId)));
        return Tenant.user(userId).panacheTransaction(() -> job.persist().chain(message::persist))
                .replaceWith(job)
                .invoke(relay::wake);
    }

    /** The job if it exists and belongs to the user; null otherwise (callers answer 404 either way). */
    public Uni<JobEntity> find(String userId, UUID id) {
        return Tenant.user(userId).panacheTransaction(() -> JobEntity.<JobEntity>find("id = ?1 and userId = ?2", id, userId).firstResult());
    }

    public Uni<JobPage> list(String userId, JobStatus status, int limit, PageCursor after) {
        StringBuilder query = new StringBuilder("userId = :user");
        Parameters params = Parameters.with("user", userId);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status.dbValue());
        }
        if (after != null) {
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.and("at", after.createdAt()).and("id", after.id());
        }
        Sort newestFirst = Sort.descending("createdAt", "id");
        return Tenant.user(userId).panacheTransaction(() -> JobEntity.<JobEntity>find(query.toString(), newestFirst, params)
                .range(0, limit).list()).map(jobs -> page(jobs, limit));
    }

    private static JobPage page(List<JobEntity> jobs, int limit) {
        boolean more = jobs.size() > limit;
        List<JobEntity> shown = more ? jobs.subList(0, limit) : jobs;
        String next = null;
        if (more) {
            JobEntity last = shown.get(shown.size() - 1);
            next = new PageCursor(last.createdAt, last.id).encode();
        }
        return new JobPage(shown.stream().map(JobView::of).toList(), next);
    }
}
