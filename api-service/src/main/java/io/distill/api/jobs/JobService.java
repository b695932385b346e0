package io.distill.api.jobs;

import io.distill.api.outbox.OutboxEntry;
import io.distill.api.outbox.OutboxRelay;
import io.distill.api.budget.DailyBudget;
import io.distill.api.projects.ProjectService;
import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.api.tenancy.Tenant;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.distill.api.errors.UniqueViolation;
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
    private final ProjectService projects;
    private final DailyBudget budget;
    private final int defaultMaxRetries;

    public JobService(OutboxRelay relay, ProjectService projects, DailyBudget budget,
                      @ConfigProperty(name = "distill.jobs.default-max-retries") int defaultMaxRetries) {
        this.relay = relay;
        this.projects = projects;
        this.budget = budget;
        this.defaultMaxRetries = defaultMaxRetries;
    }

    /** A stored upload: the original name (data only), where it is stored, its size and format. */
    public record Upload(String filename, String fileUrl, long size, String format) {
    }

    /**
     * Checks what a submission names before anything is written: the user's daily LLM budget, and
     * the project (an id or a template name), bound to its current version.
     */
    public Uni<ProjectService.Binding> admit(String userId, String project) {
        return budget.check(userId).chain(() -> projects.resolve(userId, project));
    }

    public Uni<JobEntity> submitUpload(String userId, Upload upload, Map<String, Object> metadata, Map<String, Object> options,
                                       ProjectService.Binding project) {
        JobEntity job = newJob(userId, "upload", metadata, options, null, project);
        job.filename = upload.filename();
        job.fileUrl = upload.fileUrl();
        job.fileSize = upload.size();
        job.format = upload.format();
        return persistWithMessage(job);
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
            return admit(userId, request.project()).chain(project -> create(userId, request, null, hash, project))
                    .map(job -> new Submission(job, false));
        }
        return findByKey(userId, idempotencyKey).chain(existing -> existing != null
                ? Uni.createFrom().item(replay(existing, hash))
                : admit(userId, request.project()).chain(project -> create(userId, request, idempotencyKey, hash, project))
                        .map(job -> new Submission(job, false))
                        .onFailure(UniqueViolation::in)
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

    private Uni<JobEntity> create(String userId, SubmitMessageRequest request, String idempotencyKey, String hash,
                                  ProjectService.Binding project) {
        JobEntity job = newJob(userId, "message", request.metadata(), request.options(), request.maxRetries(), project);
        job.idempotencyKey = idempotencyKey;
        job.requestHash = hash;
        job.format = "text";
        job.sourceText = request.text();
        return persistWithMessage(job);
    }

    private JobEntity newJob(String userId, String sourceKind, Map<String, Object> metadata, Map<String, Object> options,
                             Integer maxRetries, ProjectService.Binding project) {
        JobEntity job = new JobEntity();
        if (project != null) {
            job.projectId = project.projectId();
            job.projectVersion = project.version();
        }
        job.id = UUID.randomUUID();
        job.userId = userId;
        job.sourceKind = sourceKind;
        job.metadata = metadata == null ? Map.of() : metadata;
        job.options = options == null ? Map.of() : options;
        job.status = JobStatus.PENDING.dbValue();
        job.maxRetries = maxRetries == null ? defaultMaxRetries : maxRetries;
        // PostgreSQL keeps microseconds; the cursor must round-trip exactly
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return job;
    }

    /** The job row and its message to the workers, in one transaction. */
    private Uni<JobEntity> persistWithMessage(JobEntity job) {
        OutboxEntry message = OutboxEntry.of(Topics.JOBS, job.id.toString(), Json.write(JobMessage.of(job.id, job.userId)));
        return Tenant.user(job.userId).panacheTransaction(() -> job.persist().chain(message::persist))
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
