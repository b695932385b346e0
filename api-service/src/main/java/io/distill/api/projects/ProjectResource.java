package io.distill.api.projects;

import io.distill.api.identity.CurrentUser;
import io.distill.model.projects.ProjectDefinition;
import io.distill.model.projects.Templates;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Projects: what to extract (JSON Schema), how to ask (prompt, model settings), what a record must
 * satisfy (CEL rules) and what makes two records the same (dedupe key). Each user sees only their
 * own; every change is a new version.
 */
@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {
    private final ProjectService projects;
    private final CurrentUser user;

    public ProjectResource(ProjectService projects, CurrentUser user) {
        this.projects = projects;
        this.user = user;
    }

    /** The built-in templates, by name. */
    @GET
    @Path("/templates")
    public Map<String, ProjectDefinition> templates() {
        Map<String, ProjectDefinition> all = new java.util.LinkedHashMap<>();
        Templates.NAMES.forEach(name -> all.put(name, Templates.get(name)));
        return all;
    }

    @POST
    @Path("/projects")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@NotNull(message = "a JSON body is required") @Valid ProjectRequest request) {
        return projects.create(user.id(), request)
                .map(view -> Response.created(URI.create("/api/projects/" + view.id()))
                        .entity(view)
                        .build());
    }

    @GET
    @Path("/projects")
    public Uni<List<ProjectView>> list() {
        return projects.list(user.id());
    }

    /** The current version, or {@code ?version=n}. */
    @GET
    @Path("/projects/{id}")
    public Uni<ProjectView> get(@PathParam("id") String id, @QueryParam("version") Integer version) {
        return projects.find(user.id(), parseId(id), version);
    }

    /** Replaces the definition: a new version; running and earlier jobs keep theirs. */
    @PUT
    @Path("/projects/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ProjectView> update(
            @PathParam("id") String id, @NotNull(message = "a JSON body is required") ProjectDefinition definition) {
        return projects.update(user.id(), parseId(id), definition);
    }

    @DELETE
    @Path("/projects/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return projects.delete(user.id(), parseId(id))
                .replaceWith(Response.noContent().build());
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no project " + id);
        }
    }
}
