package io.distill.api.projects;

import io.distill.api.errors.UniqueViolation;
import io.distill.api.tenancy.Tenants;
import io.distill.model.Json;
import io.distill.model.input.UntrustedInput;
import io.distill.model.projects.ProjectDefinition;
import io.distill.model.projects.RecordValidator;
import io.distill.model.projects.Templates;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
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
    /** The user's project made from a template (named after it), made on first use in one statement. */
    private static final String FIND_OR_CREATE_FROM_TEMPLATE = """
            with created as (
                insert into projects (id, user_id, name, template) values ($1, $2, $3, $3)
                on conflict (user_id, name) where deleted_at is null do nothing
                returning id)
            select id, true as created from created
            union all
            select id, false from projects where user_id = $2 and name = $3 and deleted_at is null
            limit 1""";

    private final Tenants tenants;

    public ProjectService(Tenants tenants) {
        this.tenants = tenants;
    }

    public Uni<ProjectView> create(String userId, ProjectRequest request) {
        ProjectDefinition definition = definitionOf(request);
        UUID id = UUID.randomUUID();
        return compiled(definition)
                .chain(() -> tenants.transaction(
                        userId,
                        conn -> insert(conn, id, userId, request.name(), request.template(), definition)
                                .chain(() -> findIn(conn, userId, id, null))))
                .onFailure(UniqueViolation::in)
                .transform(e -> new ClientErrorException(
                        "a project named '" + request.name() + "' already exists", Response.Status.CONFLICT));
    }

    public Uni<ProjectView> update(String userId, UUID id, ProjectDefinition definition) {
        if (definition == null) {
            throw new BadRequestException("a definition is required");
        }
        return compiled(definition)
                .chain(() -> tenants.transaction(
                        userId,
                        conn -> conn.preparedQuery(BUMP)
                                .execute(Tuple.of(id, userId))
                                .chain(rows -> {
                                    RowIterator<Row> bumped = rows.iterator();
                                    if (!bumped.hasNext()) {
                                        throw new NotFoundException("no project " + id);
                                    }
                                    int version = bumped.next().getInteger("current_version");
                                    return conn.preparedQuery(INSERT_VERSION)
                                            .execute(Tuple.of(id, version, userId, json(definition)))
                                            .chain(() -> findIn(conn, userId, id, version));
                                })));
    }

    /**
     * Compiles the definition on a worker thread (schema checks and rules take milliseconds, never
     * the event loop's); fails with {@link io.distill.model.projects.InvalidProjectException} naming every problem.
     */
    private static Uni<Void> compiled(ProjectDefinition definition) {
        String unclean = UntrustedInput.problemWithTree(Json.mapper().valueToTree(definition));
        if (unclean != null) {
            throw new BadRequestException("the definition " + unclean);
        }
        return Uni.createFrom()
                .item(() -> RecordValidator.compile(definition))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    public Uni<ProjectView> find(String userId, UUID id, Integer version) {
        return tenants.transaction(userId, conn -> findIn(conn, userId, id, version));
    }

    public Uni<List<ProjectView>> list(String userId) {
        return tenants.transaction(
                userId,
                conn -> conn.preparedQuery(SELECT + " and v.version = p.current_version order by p.name")
                        .execute(Tuple.of(userId))
                        .map(rows -> rows.stream().map(ProjectService::view).toList()));
    }

    public Uni<Void> delete(String userId, UUID id) {
        return tenants.transaction(
                userId,
                conn -> conn.preparedQuery(DELETE).execute(Tuple.of(id, userId)).map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("no project " + id);
                    }
                    return null;
                }));
    }

    /**
     * The project a submission names, inside the submission's transaction: a project id as given
     * (the job insert binds it to its current version, or finds none), or a built-in template name,
     * which becomes the user's project of that name on first use. Null when the submission names none.
     */
    public Uni<UUID> bind(SqlConnection conn, String userId, String reference) {
        if (!namesTemplate(reference)) {
            return Uni.createFrom().item(idOrNull(reference));
        }
        if (!Templates.exists(reference)) {
            throw new BadRequestException("project must be a project id or one of the templates " + Templates.NAMES);
        }
        return templateProject(conn, userId, reference, true);
    }

    private static Uni<UUID> templateProject(SqlConnection conn, String userId, String template, boolean retry) {
        UUID fresh = UUID.randomUUID();
        return conn.preparedQuery(FIND_OR_CREATE_FROM_TEMPLATE)
                .execute(Tuple.of(fresh, userId, template))
                .chain(rows -> {
                    RowIterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        // created concurrently by another submission, after this statement's snapshot: look again
                        if (retry) {
                            return templateProject(conn, userId, template, false);
                        }
                        throw new IllegalStateException(
                                "the project of template " + template + " could not be found or made");
                    }
                    Row row = found.next();
                    UUID id = row.getUUID("id");
                    return row.getBoolean("created")
                            ? conn.preparedQuery(INSERT_VERSION)
                                    .execute(Tuple.of(id, 1, userId, json(Templates.get(template))))
                                    .replaceWith(id)
                            : Uni.createFrom().item(id);
                });
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

    private static Uni<Void> insert(
            SqlConnection conn, UUID id, String userId, String name, String template, ProjectDefinition definition) {
        return conn.preparedQuery(INSERT_PROJECT)
                .execute(Tuple.of(id, userId, name, template))
                .chain(() -> conn.preparedQuery(INSERT_VERSION).execute(Tuple.of(id, 1, userId, json(definition))))
                .replaceWithVoid();
    }

    private static Uni<ProjectView> findIn(SqlConnection conn, String userId, UUID id, Integer version) {
        String versionClause = version == null ? " and v.version = p.current_version" : " and v.version = $3";
        Tuple args = version == null ? Tuple.of(userId, id) : Tuple.of(userId, id, version);
        return conn.preparedQuery(SELECT + " and p.id = $2" + versionClause)
                .execute(args)
                .map(rows -> {
                    RowIterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        throw new NotFoundException(
                                "no project " + id + (version == null ? "" : " version " + version));
                    }
                    return view(found.next());
                });
    }

    private static ProjectView view(Row r) {
        return new ProjectView(
                r.getUUID("id"),
                r.getString("name"),
                r.getString("template"),
                r.getInteger("version"),
                Json.read(r.getJsonObject("definition").encode(), ProjectDefinition.class),
                r.getOffsetDateTime("created_at").toInstant(),
                r.getOffsetDateTime("updated_at").toInstant());
    }

    private static JsonObject json(ProjectDefinition definition) {
        return new JsonObject(Json.write(definition));
    }

    /** Whether binding the reference may need a statement: it names a template, not an id or nothing. */
    public static boolean namesTemplate(String reference) {
        return reference != null && !reference.isBlank() && parseId(reference) == null;
    }

    /** The project id a reference gives as is; null for none (or for a template name: see {@link #bind}). */
    public static UUID idOrNull(String reference) {
        return reference == null || reference.isBlank() ? null : parseId(reference);
    }

    private static UUID parseId(String reference) {
        try {
            return UUID.fromString(reference);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
