package io.distill.worker.records;

import static io.distill.worker.records.RecordValues.bool;
import static io.distill.worker.records.RecordValues.number;
import static io.distill.worker.records.RecordValues.text;

import io.distill.model.projects.RecordKind;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Routes a message to its event by fingerprint. The model proposes create, update or ignore; the
 * store has the last word: "create" for a fingerprint already known updates that event, "update"
 * for an unknown one creates it, and "ignore" only links the message to an event that exists.
 * Every decision is a {@code routing_decisions} row with its reason; the message's own values
 * (topic, sentiment, impact, event time, breaking) stay on its link, the event keeps the aggregate
 * (first and last seen, message count, highest impact, latest sentiment).
 */
@ApplicationScoped
public class NewsEventWriter implements RecordWriter {
    private static final String UPSERT = """
            insert into news_events (id, user_id, project_id, event_fingerprint, topic, event_time, impact_score,
                confidence, sentiment, is_breaking, breaking_window, payload, latest_sentiment)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $9)
            on conflict (user_id, project_id, event_fingerprint) do update set
                topic = excluded.topic,
                event_time = coalesce(news_events.event_time, excluded.event_time),
                impact_score = greatest(news_events.impact_score, excluded.impact_score),
                confidence = greatest(news_events.confidence, excluded.confidence),
                sentiment = excluded.sentiment,
                is_breaking = news_events.is_breaking or excluded.is_breaking,
                breaking_window = coalesce(excluded.breaking_window, news_events.breaking_window),
                payload = excluded.payload,
                message_count = news_events.message_count + 1,
                latest_sentiment = coalesce(excluded.sentiment, news_events.latest_sentiment),
                last_seen_at = now(),
                updated_at = now()
            returning id, (xmax = 0) as inserted""";
    private static final String FIND = """
            select id from news_events where user_id = $1 and project_id = $2 and event_fingerprint = $3""";
    private static final String LINK = """
            insert into news_event_messages (event_id, job_id, user_id, action, topic, sentiment, impact_score, event_time,
                is_breaking)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict do nothing""";
    private static final String DECISION = """
            insert into routing_decisions (user_id, job_id, event_id, proposed, decided, reason, fingerprint)
            values ($1, $2, $3, $4, $5, $6, $7)""";

    @Override
    public RecordKind kind() {
        return RecordKind.NEWS_EVENT;
    }

    @Override
    public Uni<JsonObject> write(SqlConnection conn, ClaimedJob job, Project project, Map<String, Object> record) {
        String fingerprint = text(record, "event_fingerprint");
        String proposed = text(record, "event_action");
        JsonObject outcome = new JsonObject()
                .put("kind", kind().code())
                .put("fingerprint", fingerprint)
                .put("proposed", proposed);
        if ("ignore".equals(proposed)) {
            return conn.preparedQuery(FIND)
                    .execute(Tuple.of(job.userId(), project.id(), fingerprint))
                    .chain(rows -> {
                        RowIterator<Row> found = rows.iterator();
                        outcome.put("action", "ignore");
                        if (!found.hasNext()) {
                            return decide(
                                            conn,
                                            job,
                                            null,
                                            proposed,
                                            "ignore",
                                            "ignored; no event has this fingerprint",
                                            fingerprint)
                                    .replaceWith(outcome);
                        }
                        UUID id = found.next().getUUID("id");
                        return link(conn, id, job, "ignore", record)
                                .chain(() -> decide(
                                        conn,
                                        job,
                                        id,
                                        proposed,
                                        "ignore",
                                        "ignored; linked to the known event",
                                        fingerprint))
                                .replaceWith(outcome.put("id", id.toString()));
                    });
        }
        Tuple row = Tuple.tuple()
                .addValue(UUID.randomUUID())
                .addValue(job.userId())
                .addValue(project.id())
                .addValue(fingerprint)
                .addValue(text(record, "topic"))
                .addValue(RecordValues.timestamp(record, "event_time"))
                .addValue(number(record, "impact_score"))
                .addValue(number(record, "confidence"))
                .addValue(text(record, "sentiment"))
                .addValue(bool(record, "is_breaking"))
                .addValue(text(record, "breaking_window"))
                .addValue(JsonObject.mapFrom(record));
        return conn.preparedQuery(UPSERT).execute(row).chain(rows -> {
            Row r = rows.iterator().next();
            UUID id = r.getUUID("id");
            boolean inserted = r.getBoolean("inserted");
            String action = inserted ? "create" : "update";
            return link(conn, id, job, action, record)
                    .chain(() -> decide(conn, job, id, proposed, action, reason(proposed, inserted), fingerprint))
                    .replaceWith(outcome.put("action", action)
                            .put("id", id.toString())
                            .put(INSERTED, inserted)
                            .put(UPDATED, !inserted));
        });
    }

    /** Why the store took the decision it did, given the model's proposal. */
    static String reason(String proposed, boolean newFingerprint) {
        if (proposed == null) {
            return newFingerprint ? "no proposal; new fingerprint" : "no proposal; known fingerprint";
        }
        return switch (proposed) {
            case "create" ->
                newFingerprint ? "new fingerprint" : "create proposed for a known fingerprint; merged into its event";
            case "update" ->
                newFingerprint ? "update proposed for an unknown fingerprint; a new event" : "known fingerprint";
            default ->
                (newFingerprint ? "new fingerprint" : "known fingerprint") + "; the proposal '" + proposed
                        + "' is not an action";
        };
    }

    private static Uni<Void> link(
            SqlConnection conn, UUID eventId, ClaimedJob job, String action, Map<String, Object> record) {
        return conn.preparedQuery(LINK)
                .execute(Tuple.tuple()
                        .addValue(eventId)
                        .addValue(job.id())
                        .addValue(job.userId())
                        .addValue(action)
                        .addValue(text(record, "topic"))
                        .addValue(text(record, "sentiment"))
                        .addValue(number(record, "impact_score"))
                        .addValue(RecordValues.timestamp(record, "event_time"))
                        .addValue(bool(record, "is_breaking")))
                .replaceWithVoid();
    }

    private static Uni<Void> decide(
            SqlConnection conn,
            ClaimedJob job,
            UUID eventId,
            String proposed,
            String decided,
            String reason,
            String fingerprint) {
        return conn.preparedQuery(DECISION)
                .execute(Tuple.tuple()
                        .addValue(job.userId())
                        .addValue(job.id())
                        .addValue(eventId)
                        .addValue(proposed)
                        .addValue(decided)
                        .addValue(reason)
                        .addValue(fingerprint == null ? "" : fingerprint))
                .replaceWithVoid();
    }
}
