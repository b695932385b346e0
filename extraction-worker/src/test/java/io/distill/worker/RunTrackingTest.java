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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sweeper moves a run from queued to its end, keeps its counters from what its jobs stored. */
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
    void aQueuedRunCountsWhatItsJobsStoredAndFailsNamingTheFailedJobs() {
        WorkerTests t = new WorkerTests(jdbcUrl, bootstrap);
        String user = "runner-" + UUID.randomUUID().toString().substring(0, 8);
        UUID project = t.insertProject(user, "news-event");
        UUID run = UUID.randomUUID();
        t.db.update(
                "insert into extraction_runs (id, user_id, started_by, status, trigger_type, considered) "
                        + "values (?, ?, 'operator', 'queued', 'manual', 4)",
                run,
                user);
        String message = "BREAKING: ECB cuts the deposit rate by 25 bp to 1.75%, effective 12 June.";
        List<UUID> jobs = List.of(
                t.insertProjectJob(user, project, message, 3),
                t.insertProjectJob(user, project, message, 3),
                t.insertProjectJob(user, project, "   ", 3),
                t.insertPendingJob("Another fine text, revenue EUR 10.", 3));
        for (UUID job : jobs) {
            t.db.update("update extraction_jobs set run_id = ?, user_id = ? where id = ?", run, user, job);
            t.enqueue(job);
        }

        Map<String, Object> ended = await("run " + run + " ended")
                .atMost(WorkerTests.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> t.db.query(
                                        "select status, processed, extracted, inserted, updated, points_inserted, error_code, "
                                                + "error_message, started_at is not null as started, "
                                                + "finished_at is not null as finished from extraction_runs where id = ?",
                                        run)
                                .get(0),
                        row -> !List.of("queued", "running").contains(row.get("status")));
        assertEquals("failed", ended.get("status"), "one job failed validation");
        assertEquals("jobs_failed", ended.get("error_code"));
        assertEquals("1 of 4 jobs failed (validation_error)", ended.get("error_message"));
        assertEquals(4, ended.get("processed"));
        assertEquals(3, ended.get("extracted"));
        assertEquals(true, ended.get("started"));
        assertEquals(true, ended.get("finished"));
        // the counters are what the typed tables say: one event created, one message routed to it
        assertEquals(
                t.db.count(
                        "select count(*) from news_event_messages where action = 'create' and job_id in (?, ?, ?, ?)",
                        jobs.toArray()),
                ((Number) ended.get("inserted")).longValue());
        assertEquals(1, ended.get("inserted"));
        assertEquals(1, ended.get("updated"));
        assertEquals(0, ended.get("points_inserted"));

        var events = t.kafka.read(
                Topics.RUN_EVENTS,
                r -> r.key().equals(run.toString()),
                got -> got.stream().anyMatch(r -> r.value().contains("\"failed\"")),
                WorkerTests.WAIT);
        RunEvent last = Json.read(events.get(events.size() - 1).value(), RunEvent.class);
        assertEquals(RunStatus.FAILED, last.status());
        assertEquals(4, last.processed());
        assertEquals("jobs_failed", last.errorCode());
        assertEquals(user, last.userId());
    }
}
