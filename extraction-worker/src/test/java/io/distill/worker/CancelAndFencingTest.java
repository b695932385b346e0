package io.distill.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.JobStatus;
import io.distill.model.ProgressEvent;
import io.distill.testinfra.InfraResource;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.jobs.JobStore;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A slow extraction stage, so that a job can be cancelled or taken over while it runs; and a late
 * completion, made through the job store directly.
 */
@Tag("infra")
@QuarkusTest
@TestProfile(CancelAndFencingTest.SlowExtractor.class)
@WithTestResource(
        value = InfraResource.class,
        initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
class CancelAndFencingTest {

    public static class SlowExtractor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("distill.extraction.offline.latency", "3s");
        }
    }

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    JobStore store;

    WorkerTests t;

    @BeforeEach
    void setUp() {
        t = new WorkerTests(jdbcUrl, bootstrap);
    }

    @Test
    void aCancelledRunningJobStopsAtTheNextStageBoundaryAndWritesNothing() throws Exception {
        UUID id = t.insertPendingJob("cancel me while I think", 3);
        t.enqueue(id);
        awaitInExtraction(id);
        // exactly what POST /api/jobs/{id}/cancel does to a processing job
        t.db.update(
                "update extraction_jobs set status = 'cancelled', completed_at = now(), lease_owner = null, "
                        + "lease_expires_at = null, event_seq = greatest(event_seq, seq_reserved) + 1 where id = ? and status = 'processing'",
                id);
        // past the 3 s the extraction would have taken: the worker never writes over the cancel
        await().during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(8))
                .until(() -> "cancelled".equals(t.status(id)) && t.results(id) == 0);
        assertEquals(List.of("->pending", "pending>processing", "processing>cancelled"), t.history(id));
        List<ProgressEvent> events = t.events(id, 3);
        assertTrue(
                events.stream().noneMatch(e -> e.status() == JobStatus.COMPLETED || e.progress() > 35),
                "no progress after the cancel: " + events);
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverCannotWriteItsLateResult() throws Exception {
        UUID id = t.insertPendingJob("I will be overtaken", 3);
        t.enqueue(id);
        awaitInExtraction(id);
        // another worker took the job over (as after a pause past the lease): new owner, new fencing token
        t.db.update(
                "update extraction_jobs set lease_owner = 'usurper', lease_version = lease_version + 1, "
                        + "lease_expires_at = now() + interval '1 hour' where id = ?",
                id);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> {
            Map<String, Object> job = t.db.query(
                            "select status, lease_owner, progress, result from extraction_jobs where id = ?", id)
                    .get(0);
            // the late worker could not even mark its long stage
            return "processing".equals(job.get("status"))
                    && "usurper".equals(job.get("lease_owner"))
                    && Integer.valueOf(0).equals(job.get("progress"))
                    && job.get("result") == null
                    && t.results(id) == 0;
        });
    }

    @Test
    void aCompletionAfterTheLeaseWasTakenOverWritesNeitherTheJobNorItsResult() {
        // not enqueued: only this test claims these jobs
        UUID lost = t.insertPendingJob("completed too late", 3);
        ClaimedJob late = store.claim(lost, BigDecimal.ZERO).orElseThrow();
        t.db.update(
                "update extraction_jobs set lease_owner = 'usurper', lease_version = lease_version + 1 where id = ?",
                lost);

        assertFalse(store.complete(late, late.seq() + 1, completion(), Map.of(), JobStore.Spend.NONE));
        Map<String, Object> job = t.db.query("select status, result from extraction_jobs where id = ?", lost)
                .get(0);
        assertEquals("processing", job.get("status"));
        assertNull(job.get("result"));
        assertEquals(0, t.results(lost), "the result row, sent with the job row's change, rolled back with it");

        UUID held = t.insertPendingJob("completed in time", 3);
        ClaimedJob owner = store.claim(held, BigDecimal.ZERO).orElseThrow();
        assertTrue(store.complete(owner, owner.seq() + 1, completion(), Map.of(), JobStore.Spend.NONE));
        assertEquals(
                "completed",
                t.db.query("select status from extraction_jobs where id = ?", held)
                        .get(0)
                        .get("status"));
        assertEquals(1, t.results(held));
    }

    private static JobStore.Completion completion() {
        return new JobStore.Completion(
                "offline",
                new JsonObject().put("fields", new JsonObject()),
                new JobStore.Telemetry(null, null, null, null, null, null, new JsonObject()),
                conn -> Uni.createFrom().item(new JsonObject()));
    }

    /** Waits for the event that says LLM_EXTRACT runs (short stages are announced, not written to the row). */
    private void awaitInExtraction(UUID id) {
        List<ProgressEvent> events = t.events(id, 3);
        assertEquals(io.distill.model.Stage.LLM_EXTRACT, events.get(2).stage(), events.toString());
        assertEquals("processing", t.status(id));
    }
}
