package io.distill.api.runs;

import static io.distill.api.rows.Rows.instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An extraction run as admins see it: whose jobs it covers ({@code userId}, null for every user's),
 * who started it and how, its state, its counters, why it failed, and the scope it was started with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        UUID id,
        String userId,
        String startedBy,
        String status,
        String triggerType,
        String triggerRef,
        int considered,
        int processed,
        int extracted,
        int inserted,
        int updated,
        int pointsInserted,
        String errorCode,
        String errorMessage,
        Map<String, Object> scope,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    static final String COLUMNS = "id, user_id, started_by, status, trigger_type, trigger_ref, considered, processed,"
            + " extracted, inserted, updated, points_inserted, error_code, error_message, meta, created_at, started_at,"
            + " finished_at";

    static RunView of(Row row) {
        return new RunView(
                row.getUUID("id"),
                row.getString("user_id"),
                row.getString("started_by"),
                row.getString("status"),
                row.getString("trigger_type"),
                row.getString("trigger_ref"),
                row.getInteger("considered"),
                row.getInteger("processed"),
                row.getInteger("extracted"),
                row.getInteger("inserted"),
                row.getInteger("updated"),
                row.getInteger("points_inserted"),
                row.getString("error_code"),
                row.getString("error_message"),
                row.getJsonObject("meta").getMap(),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"));
    }
}
