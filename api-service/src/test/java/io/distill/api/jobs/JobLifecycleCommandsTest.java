package io.distill.api.jobs;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distill.api.TestAuth;
import io.distill.model.JobMessage;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cancel, retry and idempotent submission, through the REST API, against real PostgreSQL and Kafka. */
@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class JobLifecycleCommandsTest {

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Db db;
    String user;

    @BeforeEach
    void fresh() {
        db = new Db(jdbcUrl);
        user = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void cancellingAPendingJobEndsItAndAnnouncesIt() {
        String id = submit("cancel me");
        TestAuth.as(user)
                .post("/api/jobs/" + id + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("cancelled"));
        Map<String, Object> row = db.query(
                        "select status, completed_at is not null as ended from extraction_jobs where id = ?::uuid", id)
                .get(0);
        assertEquals("cancelled", row.get("status"));
        assertEquals(true, row.get("ended"));

        var events = new KafkaProbe(bootstrap)
                .read(Topics.JOB_EVENTS, r -> id.equals(r.key()), got -> !got.isEmpty(), Duration.ofSeconds(20));
        ProgressEvent event = Json.read(events.get(0).value(), ProgressEvent.class);
        assertEquals(JobStatus.CANCELLED, event.status());
        assertEquals(user, event.userId());

        TestAuth.as(user)
                .post("/api/jobs/" + id + "/cancel")
                .then()
                .statusCode(409)
                .body("reason", containsString("job is cancelled"));
        TestAuth.as(user)
                .post("/api/jobs/" + id + "/retry")
                .then()
                .statusCode(409)
                .body("reason", containsString("only failed jobs can be retried"));
    }

    @Test
    void aRunningJobIsCancelledInPlaceForItsWorkerToNotice() {
        String id = submit("running");
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'w1', lease_version = 1, "
                        + "lease_expires_at = now() + interval '1 minute' where id = ?::uuid",
                id);
        TestAuth.as(user)
                .post("/api/jobs/" + id + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("cancelled"));
        Map<String, Object> row = db.query("select status, lease_owner from extraction_jobs where id = ?::uuid", id)
                .get(0);
        assertEquals("cancelled", row.get("status"));
        assertEquals(
                null, row.get("lease_owner"), "the worker's lease-guarded writes (status = 'processing') now all miss");
    }

    @Test
    void retryingAFailedJobRequeuesItWithAFreshBudget() {
        String id = submit("failed once");
        db.update(
                "update extraction_jobs set status = 'failed', retry_count = 3, error_code = 'provider_error', "
                        + "error_message = 'HTTP 503', completed_at = now() where id = ?::uuid",
                id);
        TestAuth.as(user)
                .post("/api/jobs/" + id + "/retry")
                .then()
                .statusCode(202)
                .body("status", equalTo("pending"));
        Map<String, Object> row = db.query(
                        "select status, retry_count, error_code, completed_at from extraction_jobs where id = ?::uuid",
                        id)
                .get(0);
        assertEquals("pending", row.get("status"));
        assertEquals(0, row.get("retry_count"));
        assertEquals(null, row.get("error_code"));
        assertEquals(null, row.get("completed_at"));

        var messages = new KafkaProbe(bootstrap)
                .read(Topics.JOBS, r -> id.equals(r.key()), got -> got.size() >= 2, Duration.ofSeconds(20));
        assertEquals(2, messages.size(), "enqueued at submission and again on retry");
        assertEquals(
                UUID.fromString(id),
                Json.read(messages.get(1).value(), JobMessage.class).jobId());
        List<String> history = db
                .query(
                        "select coalesce(from_status, '-') || '>' || to_status as t from job_state_history "
                                + "where job_id = ?::uuid order by id",
                        id)
                .stream()
                .map(r -> (String) r.get("t"))
                .toList();
        assertEquals(List.of("->pending", "pending>failed", "failed>pending"), history);

        TestAuth.as(user).post("/api/jobs/" + id + "/retry").then().statusCode(409);
    }

    @Test
    void commandsOnSomeoneElsesJobAreNotFound() {
        String id = submit("private");
        TestAuth.as("intruder").post("/api/jobs/" + id + "/cancel").then().statusCode(404);
        TestAuth.as("intruder").post("/api/jobs/" + id + "/retry").then().statusCode(404);
        assertEquals(
                "pending",
                db.query("select status from extraction_jobs where id = ?::uuid", id)
                        .get(0)
                        .get("status"));
    }

    @Test
    void sameIdempotencyKeyAndBodyGiveTheSameJob() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("text", "once only", "metadata", Map.of("a", 1, "b", 2));
        String first = TestAuth.submitted(TestAuth.as(user).header("Idempotency-Key", key), body);
        // same content, keys in another order
        String second = TestAuth.as(user)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body("{\"metadata\": {\"b\": 2, \"a\": 1}, \"text\": \"once only\"}")
                .post("/api/jobs")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .extract()
                .jsonPath()
                .getString("id");
        assertEquals(first, second);
        assertEquals(1, db.count("select count(*) from extraction_jobs where user_id = ?", user));

        TestAuth.as(user)
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "something else"))
                .post("/api/jobs")
                .then()
                .statusCode(409)
                .body("reason", containsString("different request body"));
        // keys are per user
        TestAuth.as(user + "-other")
                .header("Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/jobs")
                .then()
                .statusCode(202);
        assertEquals(1, db.count("select count(*) from extraction_jobs where user_id = ?", user));
    }

    @Test
    void concurrentRepeatsOfOneKeyCreateOneJob() throws Exception {
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Callable<String> submit =
                    () -> TestAuth.submitted(TestAuth.as(user).header("Idempotency-Key", key), Map.of("text", "raced"));
            List<Future<String>> answers = pool.invokeAll(java.util.Collections.nCopies(16, submit));
            Set<String> ids = answers.stream()
                    .map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .collect(Collectors.toSet());
            assertEquals(1, ids.size(), "every repeat answered with the one job");
            assertEquals(
                    1,
                    db.count(
                            "select count(*) from extraction_jobs where user_id = ? and idempotency_key = ?",
                            user,
                            key));
        } finally {
            pool.shutdownNow();
        }
    }

    private String submit(String text) {
        return TestAuth.submit(user, text);
    }
}
