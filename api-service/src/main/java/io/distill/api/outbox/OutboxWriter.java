package io.distill.api.outbox;

import io.distill.model.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.List;

/** Adds messages to the outbox inside the caller's transaction; the {@link OutboxRelay} publishes them after commit. */
public final class OutboxWriter {
    private static final String INSERT = "insert into outbox (topic, message_key, payload) values ($1, $2, $3)";

    /** One message: its topic, its Kafka key, and the payload written as JSON. */
    public record Entry(String topic, String key, Object payload) {
    }

    private OutboxWriter() {
    }

    public static Uni<Void> write(SqlConnection conn, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = entries.stream().map(e -> Tuple.of(e.topic(), e.key(), Json.write(e.payload()))).toList();
        return conn.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }
}
