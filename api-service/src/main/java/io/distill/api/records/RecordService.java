package io.distill.api.records;

import io.distill.api.tenancy.Tenants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** Reads the typed records as their user (row security applies), each as one JSON object built by PostgreSQL. */
@ApplicationScoped
public class RecordService {
    /** The latest links and decisions shown with an event: an event may gather thousands of messages. */
    static final int NESTED = 50;

    enum Kind {
        NEWS_EVENTS("""
                select json_build_object(
                    'id', e.id, 'fingerprint', e.event_fingerprint, 'topic', e.topic, 'eventTime', e.event_time,
                    'impactScore', e.impact_score, 'latestSentiment', e.latest_sentiment, 'isBreaking', e.is_breaking,
                    'messageCount', e.message_count, 'firstSeenAt', e.first_seen_at, 'lastSeenAt', e.last_seen_at,
                    'projectId', e.project_id,
                    'messages', (select coalesce(json_agg(m order by m."linkedAt"), '[]') from (
                        select job_id as "jobId", action, topic, sentiment, impact_score as "impactScore",
                               event_time as "eventTime", is_breaking as "isBreaking", linked_at as "linkedAt"
                        from news_event_messages where event_id = e.id order by linked_at desc limit $3) m),
                    'decisions', (select coalesce(json_agg(d order by d."decidedAt"), '[]') from (
                        select job_id as "jobId", proposed, decided, reason, decided_at as "decidedAt"
                        from routing_decisions where event_id = e.id order by id desc limit $3) d)) as record
                from news_events e where e.user_id = $1 order by e.last_seen_at desc limit $2"""),
        BROKER_REPORTS("""
                select json_build_object(
                    'id', r.id, 'broker', r.broker, 'company', r.company_canonical, 'companyRaw', r.company_raw,
                    'reportType', r.report_type, 'title', r.title, 'summary', r.summary, 'publishedAt', r.published_at,
                    'confidence', r.confidence, 'seenCount', r.seen_count, 'jobId', r.job_id,
                    'runId', r.extraction_run_id, 'createdAt', r.created_at, 'updatedAt', r.updated_at,
                    'points', (select coalesce(json_agg(p order by p."order"), '[]') from (
                        select point_order as "order", point_text as text, point_type as type, confidence, meta,
                               created_at as "createdAt"
                        from broker_report_points where report_id = r.id order by point_order limit $3) p)) as record
                from broker_reports r where r.user_id = $1 order by r.updated_at desc limit $2"""),
        DRAWINGS("""
                select json_build_object(
                    'id', d.id, 'jobId', d.job_id, 'drawingNumber', d.drawing_number, 'title', d.title,
                    'revision', d.revision, 'scale', d.scale, 'material', d.material, 'author', d.author,
                    'organisation', d.organisation, 'createdAt', d.created_at) as record
                from drawings d where d.user_id = $1 and $3::int > 0 order by d.created_at desc limit $2""");

        private final String sql;

        Kind(String sql) {
            this.sql = sql;
        }
    }

    private final Tenants tenants;

    public RecordService(Tenants tenants) {
        this.tenants = tenants;
    }

    public Uni<List<Map<String, Object>>> list(String userId, Kind kind, int limit) {
        return tenants.transaction(
                        userId, conn -> conn.preparedQuery(kind.sql).execute(Tuple.of(userId, limit, NESTED)))
                .map(rows -> rows.stream()
                        .map(row -> ((io.vertx.core.json.JsonObject) row.getValue("record")).getMap())
                        .toList());
    }
}
