package io.distill.worker.records;

import static io.distill.worker.records.RecordValues.text;

import io.distill.model.projects.RecordKind;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** One drawing row per job, with the title-block fields people search by as columns. */
@ApplicationScoped
public class DrawingWriter implements RecordWriter {
    private static final String INSERT = """
            insert into drawings (id, user_id, project_id, job_id, drawing_number, title, revision, scale, material,
                author, organisation, payload)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (job_id) do nothing""";

    @Override
    public RecordKind kind() {
        return RecordKind.DRAWING;
    }

    @Override
    public Uni<JsonObject> write(SqlConnection conn, ClaimedJob job, Project project, Map<String, Object> record) {
        UUID id = UUID.randomUUID();
        Tuple row = Tuple.tuple()
                .addValue(id)
                .addValue(job.userId())
                .addValue(project.id())
                .addValue(job.id())
                .addValue(text(record, "drawing_number"))
                .addValue(text(record, "title"))
                .addValue(text(record, "revision"))
                .addValue(text(record, "scale"))
                .addValue(text(record, "material"))
                .addValue(text(record, "author"))
                .addValue(text(record, "organisation"))
                .addValue(JsonObject.mapFrom(record));
        return conn.preparedQuery(INSERT)
                .execute(row)
                .map(rows -> new JsonObject()
                        .put("kind", kind().code())
                        .put("id", id.toString())
                        .put(INSERTED, rows.rowCount() == 1));
    }
}
