package io.distill.api.runs;

import io.distill.api.identity.CurrentUser;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** Start, follow and cancel extraction runs: admins only. */
@Path("/api/runs")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {
    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._@|:-]{1,128}");
    private final RunService runs;
    private final CurrentUser user;

    public RunResource(RunService runs, CurrentUser user) {
        this.runs = runs;
        this.user = user;
    }

    /** Starts a run over the jobs in scope (default: every user's eligible jobs): 202 with the run, queued. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(@Valid RunScope scope) {
        RunScope effective = scope == null ? RunScope.everything() : scope;
        return runs.start(user.id(), effective.triggerOrDefault(), effective.triggerRef(), effective)
                .map(run -> Response.accepted(run)
                        .location(URI.create("/api/runs/" + run.id()))
                        .build());
    }

    /** The newest run over one user's jobs (404 when there is none). */
    @GET
    @Path("/latest")
    public Uni<RunView> latest(@QueryParam("userId") String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw new BadRequestException("userId is required: the user whose latest run to show");
        }
        return runs.latest(userId);
    }

    @GET
    @Path("/{id}")
    public Uni<RunView> get(@PathParam("id") String id) {
        return runs.find(user.id(), parse(id));
    }

    @GET
    public Uni<List<RunView>> list(@QueryParam("limit") @DefaultValue("20") int limit) {
        if (limit < 1 || limit > 100) {
            throw new BadRequestException("limit must be between 1 and 100");
        }
        return runs.recent(user.id(), limit);
    }

    @POST
    @Path("/{id}/cancel")
    public Uni<RunView> cancel(@PathParam("id") String id) {
        return runs.cancel(user.id(), parse(id));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no run " + id);
        }
    }
}
