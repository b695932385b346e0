package io.distill.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The worker against real Kafka and PostgreSQL: jobs are rows plus messages, as the API makes them. */
@Tag("infra")
@QuarkusTest
@WithTestResource(
        value = InfraResource.class,
        initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
class PipelineTest {
    private static final Duration WAIT = WorkerTests.WAIT;
    private static final String MESSAGE = """
            ACME Q3 results beat expectations

            ACME Corp reported revenue of EUR 1,200,000 on 2026-10-30. Margins improved.
            Contact investor.relations@acme.example or see https://acme.example/q3 for details.
            """;

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    WorkerTests t;
    Db db;
    KafkaProbe kafka;

    @BeforeEach
    void setUp() {
        t = new WorkerTests(jdbcUrl, bootstrap);
        db = t.db;
        kafka = t.kafka;
    }

    @Test
    void messageJobRunsEveryStageAndStoresOneNamedResult() {
        UUID id = t.insertPendingJob(MESSAGE, 3);
        t.enqueue(id);

        t.awaitStatus(id, "completed");
        Map<String, Object> job = db.query(
                        "select progress, current_stage, retry_count, error_code, lease_owner, "
                                + "result->'extractor'->>'name' as extractor, result->'extractor'->>'kind' as kind, "
                                + "result->'fields'->>'title' as title, result->'fields'->'emails'->>0 as email, "
                                + "result->'fields'->'dates'->>0 as date, result->'fields'->'amounts'->>0 as amount, "
                                + "stage_timings::text as timings, started_at is not null as started, completed_at is not null as completed "
                                + "from extraction_jobs where id = ?",
                        id)
                .get(0);
        assertEquals(100, job.get("progress"));
        assertEquals("EMIT", job.get("current_stage"));
        assertEquals("offline-rules-v1", job.get("extractor"));
        assertEquals("offline", job.get("kind"));
        assertEquals("ACME Q3 results beat expectations", job.get("title"));
        assertEquals("investor.relations@acme.example", job.get("email"));
        assertEquals("2026-10-30", job.get("date"));
        assertEquals("EUR 1,200,000", job.get("amount"));
        assertEquals(null, job.get("lease_owner"), "lease released");
        assertEquals(true, job.get("started"));
        assertEquals(true, job.get("completed"));
        // PERSIST writes the timings in its own transaction, so the row holds every stage before it
        for (String stage : List.of("LOAD", "TEXT_EXTRACT", "LLM_EXTRACT", "VALIDATE")) {
            assertTrue(
                    job.get("timings").toString().contains("\"" + stage + "\""),
                    "timing of " + stage + " in " + job.get("timings"));
        }
        assertEquals(1, db.count("select count(*) from extraction_results where job_id = ?", id));
        Map<String, Object> grounding = db.query(
                        "select result->'document'->>'textPreview' as text, "
                                + "result->'evidence'->'emails'->0->>'quote' as quote, (result->'evidence'->'emails'->0->>'start')::int as start, "
                                + "(result->'evidence'->'emails'->0->>'end')::int as \"end\", (result->'evidence'->'emails'->0->>'page')::int as page, "
                                + "(result->'confidence'->>'emails')::float as confidence from extraction_jobs where id = ?",
                        id)
                .get(0);
        assertEquals("investor.relations@acme.example", grounding.get("quote"));
        assertEquals(
                grounding.get("quote"),
                ((String) grounding.get("text")).substring((int) grounding.get("start"), (int) grounding.get("end")),
                "the evidence span points at the quote in the document text");
        assertEquals(1, grounding.get("page"));
        assertEquals(1.0, grounding.get("confidence"));

        List<ProgressEvent> events = t.events(id, 5);
        assertEquals(
                5, events.size(), "claim, three stage events (VALIDATE reports none) and the completion: " + events);
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).seq() > events.get(i - 1).seq(), "sequence grows: " + events);
            assertTrue(events.get(i).progress() >= events.get(i - 1).progress(), "progress never decreases: " + events);
        }
        ProgressEvent last = events.get(events.size() - 1);
        assertEquals(JobStatus.COMPLETED, last.status());
        assertEquals(100, last.progress());
        assertEquals("u1", last.userId());
    }

    @Test
    void duplicateDeliveryYieldsOneResultAndOneStateHistory() throws Exception {
        UUID id = t.insertPendingJob(MESSAGE, 3);
        t.enqueue(id);
        t.enqueue(id);
        t.awaitStatus(id, "completed");
        t.enqueue(id);
        // while the late duplicate is consumed (and refused), nothing changes
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> db.count("select count(*) from extraction_results where job_id = ?", id) == 1
                        && List.of("->pending", "pending>processing", "processing>completed")
                                .equals(t.history(id)));
        assertEquals(
                1L,
                ((Number) db.query("select lease_version from extraction_jobs where id = ?", id)
                                .get(0)
                                .get("lease_version"))
                        .longValue(),
                "claimed exactly once");
    }

    @Test
    void jobOfADeadWorkerIsTakenOverAfterItsLeaseExpires() {
        UUID id = t.insertPendingJob(MESSAGE, 3);
        // what a worker killed mid-job leaves behind: processing, its lease run out, no message in flight
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'dead-worker', lease_version = 1, "
                        + "progress = 35, current_stage = 'TEXT_EXTRACT', event_seq = 3, "
                        + "lease_expires_at = now() - interval '1 second', enqueued_at = now() - interval '1 minute' where id = ?",
                id);

        t.awaitStatus(id, "completed");
        Map<String, Object> job = db.query("select lease_version, progress from extraction_jobs where id = ?", id)
                .get(0);
        assertEquals(2L, ((Number) job.get("lease_version")).longValue(), "taken over once");
        assertEquals(1, db.count("select count(*) from extraction_results where job_id = ?", id));
        String completedBy = (String) db.query(
                        "select lease_owner from job_state_transitions where job_id = ? and to_status = 'completed'",
                        id)
                .get(0)
                .get("lease_owner");
        assertNotEquals("dead-worker", completedBy);
        List<ProgressEvent> events = t.events(id, 6);
        assertTrue(
                events.stream().allMatch(e -> e.seq() > 3 && e.progress() >= 35),
                "the new owner continues the sequence: " + events);
    }

    @Test
    void jobHeldByALiveWorkerIsNotStolen() throws Exception {
        UUID id = t.insertPendingJob(MESSAGE, 3);
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'busy-worker', lease_version = 1, "
                        + "lease_expires_at = now() + interval '1 hour', enqueued_at = now() where id = ?",
                id);
        t.enqueue(id);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> {
            Map<String, Object> job = db.query("select status, lease_owner from extraction_jobs where id = ?", id)
                    .get(0);
            return "processing".equals(job.get("status"))
                    && "busy-worker".equals(job.get("lease_owner"))
                    && db.count("select count(*) from extraction_results where job_id = ?", id) == 0;
        });
    }

    @Test
    void blankDocumentFailsWithValidationErrorAndIsNotRetried() {
        UUID id = t.insertPendingJob("   \n\n  ", 3);
        t.enqueue(id);
        t.awaitStatus(id, "failed");
        Map<String, Object> job = db.query(
                        "select error_code, error_message, retry_count, next_retry_at from extraction_jobs where id = ?",
                        id)
                .get(0);
        assertEquals("validation_error", job.get("error_code"));
        assertEquals("document has no text", job.get("error_message"));
        assertEquals(0, job.get("retry_count"));
        assertEquals(null, job.get("next_retry_at"));
        ProgressEvent last = t.events(id, 3).get(2);
        assertEquals(JobStatus.FAILED, last.status());
        assertEquals("validation_error", last.errorCode());
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndThePartitionKeepsMoving() {
        String poisonKey = "poison-" + UUID.randomUUID();
        kafka.send(Topics.JOBS, poisonKey, "this is not a job message");
        var dead = kafka.read(Topics.JOBS_DEAD_LETTER, r -> poisonKey.equals(r.key()), got -> !got.isEmpty(), WAIT);
        assertEquals(1, dead.size());
        var reason = dead.get(0).headers().lastHeader("dead-letter-reason");
        assertTrue(
                reason != null && new String(reason.value(), StandardCharsets.UTF_8).contains("unparseable JobMessage"),
                "reason header names the problem");

        UUID id = t.insertPendingJob(MESSAGE, 3);
        kafka.send(Topics.JOBS, poisonKey, Json.write(JobMessage.of(id, "u1"))); // same key: same partition
        t.awaitStatus(id, "completed");
    }

    @Test
    void aJobWhoseLeaseExpiredTooOftenFailsAsPoisonInsteadOfLooping() {
        UUID id = t.insertPendingJob(MESSAGE, 3);
        // its worker died under it twice already, and now a third time: the lease has run out again
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'dead-worker', lease_version = 3, "
                        + "lease_expires_at = now() - interval '1 second', lease_expiries = 2 where id = ?",
                id);
        t.awaitStatus(id, "failed");
        Map<String, Object> job = db.query(
                        "select error_code, error_message, lease_expiries, lease_owner from extraction_jobs where id = ?",
                        id)
                .get(0);
        assertEquals("internal_error", job.get("error_code"));
        assertTrue(job.get("error_message").toString().startsWith("poison: its lease expired 3 times"), job.toString());
        assertEquals(null, job.get("lease_owner"));
        ProgressEvent last = t.events(id, 1).get(0);
        assertEquals(JobStatus.FAILED, last.status());
        assertEquals("internal_error", last.errorCode());
    }

    @Test
    void everyBuiltInTemplateCompletesWithTheOfflineExtractor() {
        String message = """
                ACME Industrial AG Q3 2026 results: revenue up 12 percent

                ACME Industrial AG reported third-quarter revenue of EUR 48.2 million on 2026-10-29, ahead of expectations.
                The board confirmed the outlook and announced a buyback of up to USD 20 million.
                """;
        for (String template : io.distill.model.projects.Templates.NAMES) {
            UUID project = t.insertProject("templates", template);
            UUID id = t.insertProjectJob("templates", project, message, 0);
            db.update(
                    "update extraction_jobs set metadata = '{\"posted_at\": \"2026-10-29T07:00:00+01:00\"}' where id = ?",
                    id);
            t.enqueue(id);
            t.awaitStatus(id, "completed");
        }
        Map<String, Object> report = db.query(
                        "select company_raw, report_type, published_at::text as published from broker_reports "
                                + "where user_id = 'templates'")
                .get(0);
        assertEquals("ACME Industrial AG", report.get("company_raw"));
        assertEquals("earnings_review", report.get("report_type"));
        assertTrue(report.get("published").toString().startsWith("2026-10-29 06:00:00"), report.toString());
        assertEquals(1, db.count("select count(*) from news_events where user_id = 'templates'"));
        assertEquals(1, db.count("select count(*) from drawings where user_id = 'templates'"));
    }
}
