package io.distill.worker.records;

import io.distill.model.projects.RecordKind;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.Map;

/**
 * Writes a template's record to its typed tables, inside the transaction that completes the job,
 * and says what it did for the job's result: the row id, and whether it {@value #INSERTED} a new
 * record or {@value #UPDATED} one that existed, and how many {@value #POINTS} rows it added (the
 * counts a run adds up).
 */
public interface RecordWriter {
    String INSERTED = "inserted";
    String UPDATED = "updated";
    String POINTS = "points";

    RecordKind kind();

    Uni<JsonObject> write(SqlConnection conn, ClaimedJob job, Project project, Map<String, Object> record);
}
