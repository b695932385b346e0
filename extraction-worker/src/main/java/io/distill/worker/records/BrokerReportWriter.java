package io.distill.worker.records;

import static io.distill.worker.records.RecordValues.number;
import static io.distill.worker.records.RecordValues.text;

import io.distill.model.projects.RecordKind;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One report row per user, project and duplicate key: the same report e-mail sent twice is counted
 * ({@code seen_count}), not stored twice. Its key points are the 1:N rows of the first sighting.
 */
@ApplicationScoped
public class BrokerReportWriter implements RecordWriter {
    private static final String UPSERT = """
            insert into broker_reports (id, user_id, project_id, duplicate_key, job_id, broker, company_canonical,
                company_raw, report_type, title, summary, published_at, confidence, payload, extraction_run_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            on conflict (user_id, project_id, duplicate_key) do update
                set seen_count = broker_reports.seen_count + 1, updated_at = now()
            returning id, (xmax = 0) as inserted""";
    private static final String INSERT_POINT = """
            insert into broker_report_points (report_id, user_id, point_order, point_text, point_type, confidence, meta)
            values ($1, $2, $3, $4, $5, $6, $7)""";

    /** Whatever the model said of a point beyond its text, type and confidence (its own numbering, evidence…). */
    private static JsonObject pointMeta(Map<?, ?> point) {
        JsonObject meta = new JsonObject();
        point.forEach((key, value) -> {
            if (!java.util.Set.of("point_text", "point_type", "confidence").contains(String.valueOf(key))) {
                meta.put(String.valueOf(key), value);
            }
        });
        return meta;
    }

    @Override
    public RecordKind kind() {
        return RecordKind.BROKER_REPORT;
    }

    @Override
    public Uni<JsonObject> write(SqlConnection conn, ClaimedJob job, Project project, Map<String, Object> record) {
        String key = RecordValues.duplicateKey(record, project.definition().dedupeKey());
        Tuple row = Tuple.tuple()
                .addValue(UUID.randomUUID())
                .addValue(job.userId())
                .addValue(project.id())
                .addValue(key)
                .addValue(job.id())
                .addValue(text(record, "broker"))
                .addValue(text(record, "company_canonical"))
                .addValue(text(record, "company_raw"))
                .addValue(text(record, "report_type"))
                .addValue(text(record, "title"))
                .addValue(text(record, "summary"))
                .addValue(RecordValues.timestamp(record, "published_at"))
                .addValue(number(record, "confidence"))
                .addValue(JsonObject.mapFrom(record))
                .addValue(job.runId());
        return conn.preparedQuery(UPSERT).execute(row).chain(rows -> {
            Row r = rows.iterator().next();
            UUID id = r.getUUID("id");
            boolean inserted = r.getBoolean("inserted");
            JsonObject outcome = new JsonObject()
                    .put("kind", kind().code())
                    .put("id", id.toString())
                    .put("duplicateKey", key)
                    .put("duplicate", !inserted)
                    .put(INSERTED, inserted)
                    .put(UPDATED, !inserted);
            if (!inserted) {
                return Uni.createFrom().item(outcome);
            }
            List<Tuple> points = new ArrayList<>();
            int order = 0;
            for (Object item : record.get("key_points") instanceof List<?> list ? list : List.of()) {
                Map<?, ?> point = (Map<?, ?>) item;
                // numbered by position: the rules have checked the model's own numbering already
                points.add(Tuple.tuple()
                        .addValue(id)
                        .addValue(job.userId())
                        .addValue(++order)
                        .addValue(String.valueOf(point.get("point_text")))
                        .addValue(
                                point.get("point_type") == null
                                        ? null
                                        : point.get("point_type").toString())
                        .addValue(
                                point.get("confidence") instanceof Number n
                                        ? new java.math.BigDecimal(n.toString())
                                        : null)
                        .addValue(pointMeta(point)));
            }
            outcome.put(POINTS, points.size());
            return points.isEmpty()
                    ? Uni.createFrom().item(outcome)
                    : conn.preparedQuery(INSERT_POINT).executeBatch(points).replaceWith(outcome);
        });
    }
}
