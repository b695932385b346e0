package io.distill.worker;

import io.distill.model.JobStatus;
import io.distill.model.ProgressEvent;
import io.distill.testinfra.Await;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A slow extraction stage, so that a job can be cancelled or taken over while it runs. */
@QuarkusTest
@TestProfile(CancelAndFencingTest.SlowExtractor.class)
@WithTestResource(value = InfraResource.class, initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
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
        t.db.update("update extraction_jobs set status = 'cancelled', completed_at = now(), lease_owner = null, "
                + "lease_expires_at = null, event_seq = event_seq + 1 where id = ? and status = 'processing'", id);
        Thread.sleep(4500); // the extraction stage ends and the worker reaches the boundary

        assertEquals("cancelled", t.status(id));
        assertEquals(0, t.results(id));
        assertEquals(List.of("->pending", "pending>processing", "processing>cancelled"), t.history(id));
        List<ProgressEvent> events = t.events(id, 3);
        assertTrue(events.stream().noneMatch(e -> e.status() == JobStatus.COMPLETED || e.progress() > 35),
                "no progress after the cancel: " + events);
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverCannotWriteItsLateResult() throws Exception {
        UUID id = t.insertPendingJob("I will be overtaken", 3);
        t.enqueue(id);
        awaitInExtraction(id);
        // another worker took the job over (as after a pause past the lease): new owner, new fencing token
        t.db.update("update extraction_jobs set lease_owner = 'usurper', lease_version = lease_version + 1, "
                + "lease_expires_at = now() + interval '1 hour' where id = ?", id);
        Thread.sleep(4500);

        Map<String, Object> job = t.db.query("select status, lease_owner, progress, result from extraction_jobs where id = ?", id).get(0);
        assertEquals("processing", job.get("status"));
        assertEquals("usurper", job.get("lease_owner"));
        assertEquals(35, job.get("progress"), "the late worker could not even record its stage");
        assertEquals(null, job.get("result"));
        assertEquals(0, t.results(id));
    }

    private void awaitInExtraction(UUID id) {
        Await.until(WorkerTests.WAIT, "job " + id + " in LLM_EXTRACT",
                () -> t.db.query("select status, current_stage from extraction_jobs where id = ?", id).get(0),
                row -> "processing".equals(row.get("status")) && "TEXT_EXTRACT".equals(row.get("current_stage")));
    }
}
