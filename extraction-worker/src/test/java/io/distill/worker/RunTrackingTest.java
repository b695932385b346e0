package io.distill.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distill.model.Json;
import io.distill.model.RunEvent;
import io.distill.model.RunStatus;
import io.distill.model.Topics;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sweeper keeps run counters and ends a run with its last job. */
@Tag("infra")
@QuarkusTest
@WithTestResource(
        value = InfraResource.class,
        initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
class RunTrackingTest {
    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aRunEndsWhenItsJobsHaveEndedAndFailsIfOneFailed() {
        WorkerTests t = new WorkerTests(jdbcUrl, bootstrap);
        UUID run = UUID.randomUUID();
        t.db.update(
                "insert into extraction_runs (id, user_id, status, trigger_type, considered, started_at) "
                        + "values (?, 'u1', 'running', 'manual', 3, now())",
                run);
        UUID good = t.insertPendingJob("Fine text, revenue EUR 10.", 3);
        UUID empty = t.insertPendingJob("   ", 3);
        UUID third = t.insertPendingJob("Another fine text.", 3);
        for (UUID job : new UUID[] {good, empty, third}) {
            t.db.update("update extraction_jobs set run_id = ? where id = ?", run, job);
            t.enqueue(job);
        }

        Map<String, Object> ended = await("run " + run + " ended")
                .atMost(WorkerTests.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> t.db.query(
                                        "select status, processed, extracted, inserted, finished_at is not null as finished "
                                                + "from extraction_runs where id = ?",
                                        run)
                                .get(0),
                        row -> !"running".equals(row.get("status")));
        assertEquals("failed", ended.get("status"), "one job failed validation");
        assertEquals(3, ended.get("processed"));
        assertEquals(2, ended.get("extracted"));
        assertEquals(2, ended.get("inserted"));
        assertEquals(true, ended.get("finished"));

        var events = t.kafka.read(
                Topics.RUN_EVENTS,
                r -> r.key().equals(run.toString()),
                got -> got.stream().anyMatch(r -> r.value().contains("\"failed\"")),
                WorkerTests.WAIT);
        RunEvent last = Json.read(events.get(events.size() - 1).value(), RunEvent.class);
        assertEquals(RunStatus.FAILED, last.status());
        assertEquals(3, last.processed());
    }
}
