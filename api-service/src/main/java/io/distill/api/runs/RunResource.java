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
    private final RunService runs;
    private final CurrentUser user;

    public RunResource(RunService runs, CurrentUser user) {
        this.runs = runs;
        this.user = user;
    }

    /** Starts a manual run over the jobs in scope (default: every user's pending jobs): 202 with the run. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(@Valid RunScope scope) {
        RunScope effective = scope == null ? new RunScope(null, null, null, null, null) : scope;
        return runs.start(user.id(), "manual", effective)
                .map(run -> Response.accepted(run)
                        .location(URI.create("/api/runs/" + run.id()))
                        .build());
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
