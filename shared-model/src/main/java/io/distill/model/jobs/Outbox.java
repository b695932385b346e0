package io.distill.model.jobs;

import io.distill.model.Json;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;

/**
 * The one outbox writer: adds messages to the {@code outbox} table inside the caller's transaction,
 * each with the W3C trace context of the request that wrote it, so the relay (which sends later,
 * from its own thread) continues that trace on Kafka.
 */
public final class Outbox {
    private static final String INSERT =
            "insert into outbox (topic, message_key, payload, traceparent) values ($1, $2, $3, $4)";

    /**
     * An outbox row for each row of {@code source} (a CTE of the caller's statement), its topic, key,
     * payload and traceparent the parameters from {@code $first} on ({@link #parameters}): a row and
     * its message written by one statement, one round trip.
     */
    public static String insertFor(String source, int first) {
        return "insert into outbox (topic, message_key, payload, traceparent) select $" + first + ", $" + (first + 1)
                + ", $" + (first + 2) + ", $" + (first + 3) + " from " + source;
    }

    /** Appends what {@link #insertFor} reads: the entry and the current trace context. */
    public static Tuple parameters(Tuple row, Entry entry) {
        return row.addValue(entry.topic())
                .addValue(entry.key())
                .addValue(Json.write(entry.payload()))
                .addValue(traceparent());
    }

    /** One message: its topic, its Kafka key, and the payload written as JSON. */
    public record Entry(String topic, String key, Object payload) {}

    private Outbox() {}

    public static Uni<Void> write(SqlClient conn, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String traceparent = traceparent();
        List<Tuple> rows = entries.stream()
                .map(e -> Tuple.of(e.topic(), e.key(), Json.write(e.payload()), traceparent))
                .toList();
        return rows.size() == 1
                ? conn.preparedQuery(INSERT).execute(rows.get(0)).replaceWithVoid()
                : conn.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }

    /** The current span as a traceparent, or null outside any trace (tracing off). */
    public static String traceparent() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid()
                ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                        + span.getTraceFlags().asHex()
                : null;
    }
}
