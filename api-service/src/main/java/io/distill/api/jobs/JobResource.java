package io.distill.api.jobs;

import io.distill.api.identity.CurrentUser;
import io.distill.api.ratelimit.SubmissionRateLimit;
import io.distill.model.JobStatus;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.UUID;

/** Submit, read and list extraction jobs. Every call is authenticated and scoped to the calling user. */
@Path("/api/jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    static final int MAX_PAGE = 100;

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final JobService jobs;
    private final JobCommands commands;
    private final SubmissionRateLimit rateLimit;
    private final CurrentUser user;

    public JobResource(JobService jobs, JobCommands commands, SubmissionRateLimit rateLimit, CurrentUser user) {
        this.jobs = jobs;
        this.commands = commands;
        this.rateLimit = rateLimit;
        this.user = user;
    }

    /**
     * Accepts a message for extraction: 202 with the job id; progress follows over the WebSocket.
     * A repeated {@code Idempotency-Key} with the same body answers with the first job
     * ({@code Idempotent-Replayed: true}); with another body, 409. Over the per-user limit, 429 with Retry-After.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(
            @NotNull(message = "a JSON body is required") @Valid SubmitMessageRequest request,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        if (idempotencyKey != null
                && (idempotencyKey.isBlank()
                        || idempotencyKey.length() > 255
                        || io.distill.model.input.UntrustedInput.problemWith(idempotencyKey) != null)) {
            throw new BadRequestException(IDEMPOTENCY_KEY + " must be 1 to 255 characters of text");
        }
        String userId = user.id();
        return rateLimit
                .hit(userId)
                .chain(() -> jobs.submitMessage(userId, request, idempotencyKey))
                .map(submission -> {
                    URI location = URI.create("/api/jobs/" + submission.id());
                    return Response.accepted(
                                    new SubmittedJob(submission.id(), submission.status(), location.toString()))
                            .location(location)
                            .header("Idempotent-Replayed", submission.replayed() ? "true" : null)
                            .build();
                });
    }

    /** Cancels a pending or running job; a running one stops at its next stage boundary. 409 once it has ended. */
    @POST
    @Path("/{id}/cancel")
    public Uni<SubmittedJob> cancel(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        return commands.cancel(user.id(), jobId)
                .map(status -> new SubmittedJob(jobId, status.dbValue(), "/api/jobs/" + jobId));
    }

    /** Sends a failed job round again with a fresh retry budget: 202. 409 unless it failed. */
    @POST
    @Path("/{id}/retry")
    public Uni<Response> retry(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        return commands.retry(user.id(), jobId)
                .map(status -> Response.accepted(new SubmittedJob(jobId, status.dbValue(), "/api/jobs/" + jobId))
                        .build());
    }

    @GET
    @Path("/{id}")
    public Uni<JobView> get(@PathParam("id") String id) {
        UUID jobId = parseId(id);
        return jobs.find(user.id(), jobId).map(job -> {
            if (job == null) {
                throw new NotFoundException("no job " + id);
            }
            return job;
        });
    }

    @GET
    public Uni<JobPage> list(
            @QueryParam("status") String status,
            @QueryParam("recordId") String recordId,
            @QueryParam("attachmentId") String attachmentId,
            @QueryParam("fileUrl") String fileUrl,
            @QueryParam("limit") @DefaultValue("20") int limit,
            @QueryParam("cursor") String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new BadRequestException("limit must be between 1 and " + MAX_PAGE);
        }
        JobService.ListFilter filter = new JobService.ListFilter(
                filterValue("recordId", recordId, 255),
                filterValue("attachmentId", attachmentId, 255),
                filterValue("fileUrl", fileUrl, 2048));
        return jobs.list(
                user.id(), parseStatus(status), filter, limit, cursor == null ? null : PageCursor.decode(cursor));
    }

    private static String filterValue(String name, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String problem = value.length() > maxLength
                ? "must be at most " + maxLength + " characters"
                : io.distill.model.input.UntrustedInput.problemWith(value);
        if (problem != null) {
            throw new BadRequestException(name + " " + problem);
        }
        return value;
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no job " + id);
        }
    }

    private static JobStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return JobStatus.fromDb(status);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status must be one of "
                    + Arrays.toString(Arrays.stream(JobStatus.values())
                            .map(JobStatus::dbValue)
                            .toArray()));
        }
    }
}
