package io.distill.api.jobs;

import io.distill.api.outbox.OutboxRelay;
import io.distill.api.tenancy.Tenants;
import io.distill.model.JobStatus;
import io.distill.model.ProgressEvent;
import io.distill.model.jobs.JobTransitions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A user's commands on an existing job: cancel and retry, each a transition of the
 * {@link JobTransitions job state machine} written with its outbox messages (the event for the
 * browsers, and for a retry the job message for the workers) in one transaction.
 */
@ApplicationScoped
public class JobCommands {
    private final Tenants tenants;
    private final OutboxRelay relay;

    public JobCommands(Tenants tenants, OutboxRelay relay) {
        this.tenants = tenants;
        this.relay = relay;
    }

    public Uni<JobStatus> cancel(String userId, UUID jobId) {
        return command(
                userId,
                jobId,
                (conn, id) -> JobTransitions.cancel(conn, userId, id),
                "only pending or processing jobs can be cancelled");
    }

    public Uni<JobStatus> retry(String userId, UUID jobId) {
        return command(
                userId, jobId, (conn, id) -> JobTransitions.retry(conn, userId, id), "only failed jobs can be retried");
    }

    private Uni<JobStatus> command(
            String userId,
            UUID jobId,
            BiFunction<SqlConnection, UUID, Uni<List<ProgressEvent>>> transition,
            String rule) {
        return tenants.transaction(
                        userId,
                        conn -> transition
                                .apply(conn, jobId)
                                .chain(events -> events.isEmpty()
                                        ? refuse(conn, userId, jobId, rule)
                                        : Uni.createFrom().item(events.get(0).status())))
                .invoke(relay::wake);
    }

    private static Uni<JobStatus> refuse(SqlConnection conn, String userId, UUID jobId, String rule) {
        return JobTransitions.statusOf(conn, userId, jobId).map(status -> {
            if (status == null) {
                throw new NotFoundException("no job " + jobId);
            }
            throw new ClientErrorException("job is " + status.dbValue() + "; " + rule, Response.Status.CONFLICT);
        });
    }
}
