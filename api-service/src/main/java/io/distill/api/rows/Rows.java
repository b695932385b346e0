package io.distill.api.rows;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** Reading nullable columns of a database row into what the API's views hold. */
public final class Rows {
    private Rows() {}

    /** A {@code timestamptz} column as an instant; null when the column is null. */
    public static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
