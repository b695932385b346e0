package io.distill.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A provider that fails the first two attempts of every job (the offline extractor's fault drill). */
@Tag("infra")
@QuarkusTest
@TestProfile(RetryTest.FlakyProvider.class)
@WithTestResource(
        value = InfraResource.class,
        initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
class RetryTest {

    public static class FlakyProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("distill.extraction.offline.fail-first-attempts", "2");
        }
    }

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    WorkerTests t;

    @BeforeEach
    void setUp() {
        t = new WorkerTests(jdbcUrl, bootstrap);
    }

    @Test
    void twoFailuresThenSuccessRetriesTwiceNeverBeforeItsTime() {
        UUID id = t.insertPendingJob("Flaky provider, third time lucky.", 3);
        t.enqueue(id);
        t.awaitStatus(id, "completed");

        Map<String, Object> job = t.db.query("select retry_count, error_code from extraction_jobs where id = ?", id)
                .get(0);
        assertEquals(2, job.get("retry_count"));
        assertEquals(null, job.get("error_code"), "the error of a failed attempt does not outlive the success");
        assertEquals(1, t.results(id));
        assertEquals(
                List.of(
                        "->pending",
                        "pending>processing",
                        "processing>pending",
                        "pending>processing",
                        "processing>pending",
                        "pending>processing",
                        "processing>completed"),
                t.history(id));

        List<Map<String, Object>> moves = t.db.query(
                "select to_status, at, next_retry_at, error_code from job_state_transitions "
                        + "where job_id = ? order by id",
                id);
        OffsetDateTime notBefore = null;
        for (Map<String, Object> move : moves) {
            OffsetDateTime at =
                    ((java.sql.Timestamp) move.get("at")).toInstant().atOffset(java.time.ZoneOffset.UTC);
            if ("processing".equals(move.get("to_status")) && notBefore != null) {
                assertFalse(at.isBefore(notBefore), "attempt at " + at + " came before next_retry_at " + notBefore);
            }
            if ("pending".equals(move.get("to_status")) && move.get("next_retry_at") != null) {
                assertEquals("provider_error", move.get("error_code"));
                notBefore = ((java.sql.Timestamp) move.get("next_retry_at"))
                        .toInstant()
                        .atOffset(java.time.ZoneOffset.UTC);
            }
        }
        assertTrue(notBefore != null, "retries were scheduled");
    }

    @Test
    void afterMaxRetriesTheJobFailsWithTheLastErrorAndIsLeftAlone() throws Exception {
        UUID id = t.insertPendingJob("Flaky provider, out of patience.", 1);
        t.enqueue(id);
        t.awaitStatus(id, "failed");
        Map<String, Object> job = t.db.query(
                        "select retry_count, error_code, error_message, next_retry_at from extraction_jobs where id = ?",
                        id)
                .get(0);
        assertEquals(1, job.get("retry_count"));
        assertEquals("provider_error", job.get("error_code"));
        assertTrue(((String) job.get("error_message")).contains("attempt 2 of 2"), job.toString());
        assertEquals(null, job.get("next_retry_at"));

        List<String> history = t.history(id);
        // several sweeper ticks: no further attempts
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> history.equals(t.history(id)));
        assertEquals(
                List.of(
                        "->pending",
                        "pending>processing",
                        "processing>pending",
                        "pending>processing",
                        "processing>failed"),
                history);
        assertEquals(0, t.results(id));
    }
}
