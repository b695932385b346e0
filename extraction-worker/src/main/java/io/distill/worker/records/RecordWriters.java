package io.distill.worker.records;

import io.distill.model.jobs.JobTransitions;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;

/** The writer for the project's record kind; projects without one keep only the JSONB result. */
@ApplicationScoped
public class RecordWriters {
    private final Instance<RecordWriter> writers;

    public RecordWriters(Instance<RecordWriter> writers) {
        this.writers = writers;
    }

    public Uni<JsonObject> write(SqlConnection conn, ClaimedJob job, Project project, Map<String, Object> record) {
        if (project.definition().record() == null || project.id() == null) {
            return Uni.createFrom().item(new JsonObject());
        }
        RecordWriter writer = writers.stream()
                .filter(w -> w.kind() == project.definition().record())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no writer for " + project.definition().record()));
        return writer.write(conn, job, project, record);
    }

    /** What a writer's outcome says it stored, for the job row (runs add these up). */
    public static JobTransitions.Stored stored(JsonObject outcome) {
        return new JobTransitions.Stored(
                outcome.getBoolean(RecordWriter.INSERTED, false) ? 1 : 0,
                outcome.getBoolean(RecordWriter.UPDATED, false) ? 1 : 0,
                outcome.getInteger(RecordWriter.POINTS, 0));
    }
}
