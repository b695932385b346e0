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
 */
@ApplicationScoped
public class NewsEventWriter implements RecordWriter {
    private static final String UPSERT = """
            insert into news_events (id, user_id, project_id, event_fingerprint, topic, event_time, impact_score,
                confidence, sentiment, is_breaking, breaking_window, payload)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
                updated_at = now()
            returning id, (xmax = 0) as inserted""";
    private static final String FIND = """
            select id from news_events where user_id = $1 and project_id = $2 and event_fingerprint = $3""";
    private static final String LINK = """
            insert into news_event_messages (event_id, job_id, user_id, action) values ($1, $2, $3, $4)
            on conflict do nothing""";

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
                        if (!found.hasNext()) {
                            return Uni.createFrom().item(outcome.put("action", "ignore"));
                        }
                        UUID id = found.next().getUUID("id");
                        return link(conn, id, job, "ignore")
                                .replaceWith(outcome.put("action", "ignore").put("id", id.toString()));
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
            String action = r.getBoolean("inserted") ? "create" : "update";
            return link(conn, id, job, action)
                    .replaceWith(outcome.put("action", action).put("id", id.toString()));
        });
    }

    private static Uni<Void> link(SqlConnection conn, UUID eventId, ClaimedJob job, String action) {
        return conn.preparedQuery(LINK)
                .execute(Tuple.of(eventId, job.id(), job.userId(), action))
                .replaceWithVoid();
    }
}
