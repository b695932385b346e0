package io.distill.api.runs;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An extraction run as users see it: its state, its counters and the scope it was started with. */
public record RunView(
        UUID id,
        String status,
        String triggerType,
        int considered,
        int processed,
        int extracted,
        int inserted,
        int updated,
        int pointsInserted,
        Map<String, Object> scope,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    static final String COLUMNS = "id, status, trigger_type, considered, processed, extracted, inserted, updated, "
            + "points_inserted, meta, created_at, started_at, finished_at";

    static RunView of(Row row) {
        return new RunView(
                row.getUUID("id"),
                row.getString("status"),
                row.getString("trigger_type"),
                row.getInteger("considered"),
                row.getInteger("processed"),
                row.getInteger("extracted"),
                row.getInteger("inserted"),
                row.getInteger("updated"),
                row.getInteger("points_inserted"),
                row.getJsonObject("meta").getMap(),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column) == null
                ? null
                : row.getOffsetDateTime(column).toInstant();
    }
}
