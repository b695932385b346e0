package io.distill.api.runs;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distill.api.TestAuth;
import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.RunEvent;
import io.distill.model.RunStatus;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class RunResourceTest {

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    DailyRuns daily;

    Db db;
    String user;

    @BeforeEach
    void fresh() {
        db = new Db(jdbcUrl);
        user = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRunTakesTheEligibleJobsInScopeTagsAndEnqueuesThem() {
        String pending1 = submit("one");
        String pending2 = submit("two");
        String failed = submit("three");
        String done = submit("four");
        String invalid = submit("five");
        String abandoned = submit("six");
        String held = submit("seven");
        db.update(
                "update extraction_jobs set status = 'failed', retry_count = 3, error_code = 'provider_error' where id = ?::uuid",
                failed);
        db.update("update extraction_jobs set status = 'processing' where id = ?::uuid", done);
        db.update("update extraction_jobs set status = 'completed' where id = ?::uuid", done);
        db.update(
                "update extraction_jobs set status = 'failed', error_code = 'validation_error' where id = ?::uuid",
                invalid);
        // a worker that died under its lease, and one still working under a live lease
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'gone', "
                        + "lease_expires_at = now() - interval '1 minute' where id = ?::uuid",
                abandoned);
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'alive', "
                        + "lease_expires_at = now() + interval '1 minute' where id = ?::uuid",
                held);

        var run = TestAuth.asAdmin("operator-1")
                .contentType(ContentType.JSON)
                .body(Map.of("userId", user, "sourceKind", "message", "trigger", "cli", "triggerRef", "ticket #42"))
                .post("/api/runs")
                .then()
                .statusCode(202)
                .body("status", equalTo("queued"))
                .body("triggerType", equalTo("cli"))
                .body("triggerRef", equalTo("ticket #42"))
                .body("userId", equalTo(user))
                .body("startedBy", equalTo("operator-1"))
                .body("considered", equalTo(4))
                .extract()
                .jsonPath();
        String runId = run.getString("id");

        Set<String> tagged =
                db.query("select id::text as id from extraction_jobs where run_id = ?::uuid", runId).stream()
                        .map(r -> (String) r.get("id"))
                        .collect(Collectors.toSet());
        assertEquals(Set.of(pending1, pending2, failed, abandoned), tagged);
        assertEquals(
                "pending",
                db.query("select status from extraction_jobs where id = ?::uuid", abandoned)
                        .get(0)
                        .get("status"));
        TestAuth.asAdmin("operator-1")
                .get("/api/runs/latest?userId=" + user)
                .then()
                .statusCode(200)
                .body("id", equalTo(runId));
        assertEquals(
                "pending",
                db.query("select status from extraction_jobs where id = ?::uuid", failed)
                        .get(0)
                        .get("status"));
        assertEquals(
                0,
                db.query("select retry_count from extraction_jobs where id = ?::uuid", failed)
                        .get(0)
                        .get("retry_count"));

        var kafka = new KafkaProbe(bootstrap);
        var enqueued =
                kafka.read(Topics.JOBS, r -> r.key().equals(failed), got -> !got.isEmpty(), Duration.ofSeconds(20));
        assertEquals(
                UUID.fromString(failed),
                Json.read(enqueued.get(0).value(), JobMessage.class).jobId());
        var runEvents = kafka.read(
                Topics.RUN_EVENTS, r -> r.key().equals(runId), got -> !got.isEmpty(), Duration.ofSeconds(20));
        RunEvent event = Json.read(runEvents.get(0).value(), RunEvent.class);
        assertEquals(RunStatus.QUEUED, event.status());
        assertEquals(4, event.considered());
        assertEquals(user, event.userId());

        TestAuth.asAdmin("operator-1")
                .get("/api/runs/" + runId)
                .then()
                .statusCode(200)
                .body("considered", equalTo(4));
        TestAuth.asAdmin("operator-1")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(runId));
        TestAuth.as(user).get("/api/runs/" + runId).then().statusCode(403);
        TestAuth.as(user).get("/api/runs/latest?userId=" + user).then().statusCode(403);
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/runs")
                .then()
                .statusCode(403);
    }

    @Test
    void aRunWithNothingInScopeSucceedsAtOnce() {
        TestAuth.asAdmin("operator-1")
                .contentType(ContentType.JSON)
                .body(Map.of("userId", user))
                .post("/api/runs")
                .then()
                .statusCode(202)
                .body("status", equalTo("succeeded"))
                .body("considered", equalTo(0));
    }

    @Test
    void badScopesAreRejectedWithReasons() {
        TestAuth.asAdmin("operator-1")
                .contentType(ContentType.JSON)
                .body(Map.of("statuses", List.of("completed")))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("reason", containsString("must be pending, failed or processing"));
        TestAuth.asAdmin("operator-1")
                .contentType(ContentType.JSON)
                .body(Map.of("trigger", "daily"))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("reason", containsString("daily runs are started by the schedule"));
        TestAuth.asAdmin("operator-1")
                .get("/api/runs/latest")
                .then()
                .statusCode(400)
                .body("reason", containsString("userId is required"));
        TestAuth.asAdmin("operator-1")
                .get("/api/runs/latest?userId=nobody-" + UUID.randomUUID())
                .then()
                .statusCode(404);
        TestAuth.asAdmin("operator-1")
                .contentType(ContentType.JSON)
                .body(Map.of("limit", 0))
                .post("/api/runs")
                .then()
                .statusCode(400)
                .body("reason", containsString("limit"));
    }

    @Test
    void cancellingARunCancelsItsUnfinishedJobs() {
        String a = submit("a");
        String b = submit("b");
        String runId = TestAuth.asAdmin("operator-1")
                .contentType(ContentType.JSON)
                .body(Map.of("userId", user))
                .post("/api/runs")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("id");
        db.update("update extraction_jobs set status = 'processing' where id = ?::uuid", a);
        db.update("update extraction_jobs set status = 'completed' where id = ?::uuid", a);

        TestAuth.asAdmin("operator-1")
                .post("/api/runs/" + runId + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("canceled"));
        assertEquals(
                "completed",
                db.query("select status from extraction_jobs where id = ?::uuid", a)
                        .get(0)
                        .get("status"));
        assertEquals(
                "cancelled",
                db.query("select status from extraction_jobs where id = ?::uuid", b)
                        .get(0)
                        .get("status"));
        TestAuth.asAdmin("operator-1")
                .post("/api/runs/" + runId + "/cancel")
                .then()
                .statusCode(409)
                .body("reason", containsString("run is canceled"));
    }

    @Test
    void theDailyScheduleStartsOneRunPerUserWithEligibleJobsOncePerDay() {
        String stale = submit("waited too long");
        String retryable = submit("failed on the provider");
        submit("fresh");
        for (String old : List.of(stale, retryable)) {
            db.update("update extraction_jobs set created_at = now() - interval '2 hours' where id = ?::uuid", old);
        }
        db.update(
                "update extraction_jobs set status = 'failed', error_code = 'provider_error' where id = ?::uuid",
                retryable);
        LocalDate day = LocalDate.of(2031, 1, 1).plusDays(Math.abs(user.hashCode() % 10_000));

        int started = daily.runForDay(day).await().atMost(Duration.ofSeconds(20));
        assertEquals(
                Set.of(stale, retryable),
                db
                        .query(
                                "select j.id::text as id from extraction_jobs j join extraction_runs r on r.id = j.run_id "
                                        + "where j.user_id = ? and r.trigger_type = 'daily' and r.started_by = 'system' "
                                        + "and r.user_id = j.user_id and r.trigger_ref = ?",
                                user,
                                day.toString())
                        .stream()
                        .map(r -> r.get("id"))
                        .collect(Collectors.toSet()));
        assertEquals(true, started >= 1);
        assertEquals(0, daily.runForDay(day).await().atMost(Duration.ofSeconds(20)), "a day's runs start once");
    }

    private String submit(String text) {
        return TestAuth.submit(user, text);
    }
}
