package io.distill.api.projects;

import io.distill.api.tenancy.Tenant;
import io.distill.model.Json;
import io.distill.model.projects.ProjectDefinition;
import io.distill.model.projects.RecordValidator;
import io.distill.model.projects.Templates;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.distill.api.errors.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.UUID;

/**
 * Projects and their versions. A definition is compiled (schema and rules) before it is stored,
 * so a broken project is refused here and not discovered by a job. Updates add a version; jobs
 * keep the version they were submitted with.
 */
@ApplicationScoped
public class ProjectService {
    private static final String INSERT_PROJECT = """
            insert into projects (id, user_id, name, template) values ($1, $2, $3, $4)""";
    private static final String INSERT_VERSION = """
            insert into project_versions (project_id, version, user_id, definition) values ($1, $2, $3, $4)""";
    private static final String SELECT = """
            select p.id, p.name, p.template, v.version, v.definition, p.created_at, p.updated_at
            from projects p join project_versions v on v.project_id = p.id
            where p.user_id = $1 and p.deleted_at is null""";
    private static final String BUMP = """
            update projects set current_version = current_version + 1, updated_at = now()
            where id = $1 and user_id = $2 and deleted_at is null returning current_version""";
    private static final String DELETE = """
            update projects set deleted_at = now() where id = $1 and user_id = $2 and deleted_at is null""";
    private static final String FIND_BY_TEMPLATE = """
            select id, current_version from projects where user_id = $1 and name = $2 and deleted_at is null""";

    /** The project and version a job runs with. */
    public record Binding(UUID projectId, int version) {
    }

    private final Pool pool;

    public ProjectService(Pool pool) {
        this.pool = pool;
    }

    public Uni<ProjectView> create(String userId, ProjectRequest request) {
        ProjectDefinition definition = definitionOf(request);
        RecordValidator.compile(definition);
        UUID id = UUID.randomUUID();
        return Tenant.user(userId).transaction(pool, conn -> insert(conn, id, userId, request.name(), request.template(), definition)
                        .chain(() -> findIn(conn, userId, id, null)))
                .onFailure(UniqueViolation::in).transform(e -> new ClientErrorException(
                        "a project named '" + request.name() + "' already exists", Response.Status.CONFLICT));
    }

    public Uni<ProjectView> update(String userId, UUID id, ProjectDefinition definition) {
        if (definition == null) {
            throw new BadRequestException("a definition is required");
        }
        RecordValidator.compile(definition);
        return Tenant.user(userId).transaction(pool, conn -> conn.preparedQuery(BUMP).execute(Tuple.of(id, userId)).chain(rows -> {
            RowIterator<Row> bumped = rows.iterator();
            if (!bumped.hasNext()) {
                throw new NotFoundException("no project " + id);
            }
            int version = bumped.next().getInteger("current_version");
            return conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(id, version, userId, json(definition)))
                    .chain(() -> findIn(conn, userId, id, version));
        }));
    }

    public Uni<ProjectView> find(String userId, UUID id, Integer version) {
        return Tenant.user(userId).transaction(pool, conn -> findIn(conn, userId, id, version));
    }

    public Uni<List<ProjectView>> list(String userId) {
        return Tenant.user(userId).transaction(pool, conn -> conn.preparedQuery(SELECT + " and v.version = p.current_version order by p.name")
                .execute(Tuple.of(userId)).map(rows -> rows.stream().map(ProjectService::view).toList()));
    }

    public Uni<Void> delete(String userId, UUID id) {
        return Tenant.user(userId).transaction(pool, conn -> conn.preparedQuery(DELETE).execute(Tuple.of(id, userId)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new NotFoundException("no project " + id);
            }
            return null;
        }));
    }

    /**
     * What a submission's {@code project} names: one of the user's projects by id (its current
     * version), or a built-in template by name, which becomes the user's project of that name on
     * first use. Null when the submission names none.
     */
    public Uni<Binding> resolve(String userId, String reference) {
        if (reference == null || reference.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        UUID id = parseId(reference);
        if (id != null) {
            return find(userId, id, null).map(view -> new Binding(view.id(), view.version()));
        }
        if (!Templates.exists(reference)) {
            throw new BadRequestException("project must be a project id or one of the templates " + Templates.NAMES);
        }
        return Tenant.user(userId).transaction(pool, conn -> conn.preparedQuery(FIND_BY_TEMPLATE).execute(Tuple.of(userId, reference))
                        .chain(rows -> {
                            RowIterator<Row> found = rows.iterator();
                            if (found.hasNext()) {
                                Row r = found.next();
                                return Uni.createFrom().item(new Binding(r.getUUID("id"), r.getInteger("current_version")));
                            }
                            UUID created = UUID.randomUUID();
                            return insert(conn, created, userId, reference, reference, Templates.get(reference))
                                    .replaceWith(new Binding(created, 1));
                        }))
                // two first submissions at once: the loser reads the winner's project
                .onFailure(UniqueViolation::in).recoverWithUni(() -> resolve(userId, reference));
    }

    private static ProjectDefinition definitionOf(ProjectRequest request) {
        if (request.definition() != null) {
            return request.definition();
        }
        if (request.template() == null) {
            throw new BadRequestException("give a template (one of " + Templates.NAMES + ") or a definition");
        }
        if (!Templates.exists(request.template())) {
            throw new BadRequestException("template must be one of " + Templates.NAMES);
        }
        return Templates.get(request.template());
    }

    private static Uni<Void> insert(SqlConnection conn, UUID id, String userId, String name, String template, ProjectDefinition definition) {
        return conn.preparedQuery(INSERT_PROJECT).execute(Tuple.of(id, userId, name, template))
                .chain(() -> conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(id, 1, userId, json(definition))))
                .replaceWithVoid();
    }

    private static Uni<ProjectView> findIn(SqlConnection conn, String userId, UUID id, Integer version) {
        String versionClause = version == null ? " and v.version = p.current_version" : " and v.version = $3";
        Tuple args = version == null ? Tuple.of(userId, id) : Tuple.of(userId, id, version);
        return conn.preparedQuery(SELECT + " and p.id = $2" + versionClause).execute(args).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                throw new NotFoundException("no project " + id + (version == null ? "" : " version " + version));
            }
            return view(found.next());
        });
    }

    private static ProjectView view(Row r) {
        return new ProjectView(r.getUUID("id"), r.getString("name"), r.getString("template"), r.getInteger("version"),
                Json.read(r.getJsonObject("definition").encode(), ProjectDefinition.class),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }

    private static JsonObject json(ProjectDefinition definition) {
        return new JsonObject(Json.write(definition));
    }

    private static UUID parseId(String reference) {
        try {
            return UUID.fromString(reference);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
