package io.distill.api.records;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.distill.api.TestAuth;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The typed records as their owner reads them, with what hangs off them; nobody else sees them. */
@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class RecordResourceTest {

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @Test
    void anOwnerReadsEventsWithMessagesAndDecisionsReportsWithPointsAndDrawings() {
        Db db = new Db(jdbcUrl);
        String user = "records-" + UUID.randomUUID().toString().substring(0, 8);
        UUID project = UUID.randomUUID();
        UUID job = job(db, user);
        UUID event = UUID.randomUUID();
        db.update(
                "insert into news_events (id, user_id, project_id, event_fingerprint, topic, impact_score, payload, "
                        + "message_count, latest_sentiment) values (?, ?, ?, 'ecb-cut', 'rates', 7.5, '{}', 1, 'negative')",
                event,
                user,
                project);
        db.update(
                "insert into news_event_messages (event_id, job_id, user_id, action, topic, sentiment, impact_score) "
                        + "values (?, ?, ?, 'create', 'rates', 'negative', 7.5)",
                event,
                job,
                user);
        db.update(
                "insert into routing_decisions (user_id, job_id, event_id, proposed, decided, reason, fingerprint) "
                        + "values (?, ?, ?, 'create', 'create', 'new fingerprint', 'ecb-cut')",
                user,
                job,
                event);
        UUID report = UUID.randomUUID();
        db.update(
                "insert into broker_reports (id, user_id, project_id, duplicate_key, job_id, broker, title, payload, seen_count) "
                        + "values (?, ?, ?, 'k', ?, 'Morgan Stanley', 'Upgrade', '{}', 2)",
                report,
                user,
                project,
                job);
        db.update(
                "insert into broker_report_points (report_id, user_id, point_order, point_text, meta) "
                        + "values (?, ?, 1, 'Margins up', '{\"source\": \"p.1\"}')",
                report,
                user);
        db.update(
                "insert into drawings (id, user_id, project_id, job_id, drawing_number, title, payload) "
                        + "values (?, ?, ?, ?, 'D-17', 'Pump housing', '{}')",
                UUID.randomUUID(),
                user,
                project,
                job);

        TestAuth.as(user)
                .get("/api/records/news-events")
                .then()
                .statusCode(200)
                .body("fingerprint", contains("ecb-cut"))
                .body("[0].latestSentiment", equalTo("negative"))
                .body("[0].messages.action", contains("create"))
                .body("[0].messages[0].impactScore", equalTo(7.5f))
                .body("[0].decisions.reason", contains("new fingerprint"));
        TestAuth.as(user)
                .get("/api/records/broker-reports")
                .then()
                .statusCode(200)
                .body("[0].seenCount", equalTo(2))
                .body("[0].points.text", contains("Margins up"))
                .body("[0].points[0].meta.source", equalTo("p.1"));
        TestAuth.as(user).get("/api/records/drawings").then().statusCode(200).body("drawingNumber", contains("D-17"));

        for (String kind : new String[] {"news-events", "broker-reports", "drawings"}) {
            TestAuth.as("someone-else")
                    .get("/api/records/" + kind)
                    .then()
                    .statusCode(200)
                    .body("$", empty());
        }
        TestAuth.as(user)
                .get("/api/records/drawings?limit=0")
                .then()
                .statusCode(400)
                .body("reason", containsString("limit"));
    }

    private static UUID job(Db db, String user) {
        UUID id = UUID.randomUUID();
        db.update(
                "insert into extraction_jobs (id, user_id, source_kind, format, source_text) values (?, ?, 'message', 'text', 'x')",
                id,
                user);
        return id;
    }
}
