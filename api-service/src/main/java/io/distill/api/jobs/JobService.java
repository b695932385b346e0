package io.distill.api.jobs;

import io.distill.api.outbox.OutboxEntry;
import io.distill.api.outbox.OutboxRelay;
import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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

    public Uni<JobEntity> submitMessage(String userId, SubmitMessageRequest request) {
        JobEntity job = new JobEntity();
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
        return Panache.withTransaction(() -> job.persist().chain(message::persist))
                .replaceWith(job)
                .invoke(relay::wake);
    }

    /** The job if it exists and belongs to the user; null otherwise (callers answer 404 either way). */
    public Uni<JobEntity> find(String userId, UUID id) {
        return Panache.withSession(() -> JobEntity.<JobEntity>find("id = ?1 and userId = ?2", id, userId).firstResult());
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
        return Panache.withSession(() -> JobEntity.<JobEntity>find(query.toString(), newestFirst, params)
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
