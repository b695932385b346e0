package io.distill.worker.projects;

import io.distill.model.ErrorClass;
import io.distill.model.Json;
import io.distill.model.projects.InvalidProjectException;
import io.distill.model.projects.ProjectDefinition;
import io.distill.worker.pipeline.PipelineException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Project versions by (id, version). A version never changes once written, so each is read and
 * compiled once per worker and kept.
 */
@ApplicationScoped
public class ProjectCatalog {
    private static final String LOAD = "select definition from project_versions where project_id = $1 and version = $2";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private record Key(UUID id, int version) {}

    private final Pool pool;
    private final Map<Key, Project> compiled = new ConcurrentHashMap<>();

    public ProjectCatalog(Pool pool) {
        this.pool = pool;
    }

    /** The job's project, or the generic one when it names none. */
    public Project forJob(UUID projectId, Integer version) {
        if (projectId == null) {
            return Project.generic();
        }
        return compiled.computeIfAbsent(new Key(projectId, version == null ? 1 : version), this::load);
    }

    private Project load(Key key) {
        RowIterator<Row> rows = pool.preparedQuery(LOAD)
                .execute(Tuple.of(key.id(), key.version()))
                .await()
                .atMost(DB_TIMEOUT)
                .iterator();
        if (!rows.hasNext()) {
            throw new PipelineException(
                    ErrorClass.SOURCE_ERROR, "project " + key.id() + " version " + key.version() + " does not exist");
        }
        ProjectDefinition definition =
                Json.read(rows.next().getJsonObject("definition").encode(), ProjectDefinition.class);
        try {
            return Project.of(key.id(), key.version(), definition);
        } catch (InvalidProjectException e) {
            throw new PipelineException(
                    ErrorClass.VALIDATION_ERROR, "project " + key.id() + " is invalid: " + e.getMessage());
        }
    }
}
