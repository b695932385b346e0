package io.distill.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.testinfra.Await;
import io.distill.testinfra.Db;
import io.distill.testinfra.KraftBroker;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;
import io.distill.testinfra.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path with every part real and separate: REST → PostgreSQL + outbox → Kafka → worker
 * process → PostgreSQL → events topic → gateway process → WebSocket client.
 */
class DistillStackIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalPostgres pg;
    static KraftBroker kafka;
    static ServiceProcess api;
    static ServiceProcess worker;
    static ServiceProcess gateway;
    static Db db;

    @BeforeAll
    static void startStack() throws Exception {
        pg = LocalPostgres.start();
        kafka = KraftBroker.start();
        db = new Db(pg.jdbcUrl());
        api = ServiceProcess.start("api-service", "api", Ports.free(), common()).awaitReady(WAIT);
        worker = startWorker("worker-1", Map.of());
        gateway = ServiceProcess.start("ws-gateway", "gateway", Ports.free(), common()).awaitReady(WAIT);
    }

    @AfterAll
    static void stopStack() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, worker, api, kafka, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void twentyJobsCompleteWithMonotonicProgressStreamedToTheBrowserSide() throws Exception {
        String user = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsClient ws = WsClient.connect(gateway.url("/ws/progress?user=" + user).replace("http", "ws"))) {
            ws.send("{\"type\":\"subscribe\",\"all\":true}");
            assertEquals("subscribed", Json.mapper().readTree(ws.next(WAIT)).get("type").asText());
            awaitGatewayAssigned(ws, user);

            List<UUID> jobs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobs.add(submit(user, "Report " + i + "\n\nRevenue EUR " + (1000 + i) + " on 2026-11-" + (10 + i) + ". Contact ir" + i + "@acme.example."));
            }

            Map<UUID, List<ProgressEvent>> events = new HashMap<>();
            int completed = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (completed < jobs.size() && System.nanoTime() < deadline) {
                String message = ws.next(Duration.ofSeconds(5));
                if (message == null) {
                    continue;
                }
                JsonNode node = Json.mapper().readTree(message);
                if (!"progress".equals(node.get("type").asText())) {
                    continue;
                }
                ProgressEvent event = Json.mapper().treeToValue(node.get("event"), ProgressEvent.class);
                events.computeIfAbsent(event.jobId(), k -> new ArrayList<>()).add(event);
                if (event.status() == JobStatus.COMPLETED) {
                    completed++;
                }
            }

            for (UUID job : jobs) {
                List<ProgressEvent> seen = events.get(job);
                assertTrue(seen != null && !seen.isEmpty(), "events for " + job);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i).progress() >= seen.get(i - 1).progress(), "non-decreasing progress " + seen);
                    assertTrue(seen.get(i).seq() > seen.get(i - 1).seq(), "increasing sequence " + seen);
                }
                ProgressEvent last = seen.get(seen.size() - 1);
                assertEquals(JobStatus.COMPLETED, last.status(), "last event of " + job);
                assertEquals(100, last.progress());
                assertEquals(user, last.userId());

                JsonNode view = get(user, "/api/jobs/" + job);
                assertEquals("completed", view.get("status").asText());
                assertEquals("offline-rules-v1", view.at("/result/extractor/name").asText());
            }
            assertEquals(20, completed, "every job's completion reached the WebSocket client");
            String ids = jobs.stream().map(j -> "'" + j + "'").reduce((a, b) -> a + "," + b).orElseThrow();
            assertEquals(20, db.count("select count(*) from extraction_results where job_id in (" + ids + ")"));
            assertEquals(20, db.count("select count(distinct job_id) from extraction_results where job_id in (" + ids + ")"));
        }
    }

    @Test
    void jobsOfAWorkerKilledMidJobAreFinishedByAnother() throws Exception {
        // a slow worker that takes jobs and dies holding them
        ServiceProcess doomed = startWorker("worker-doomed", Map.of("distill.extraction.offline.latency", "60s"));
        String user = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            long held = 0;
            for (int i = 0; i < 60 && held == 0; i++) {
                submit(user, "job " + i + " for whichever worker owns its partition");
                Thread.sleep(1000);
                held = db.count("select count(*) from extraction_jobs where user_id = ? and status = 'processing' "
                        + "and lease_owner like 'worker-doomed%'", user);
            }
            assertTrue(held > 0, "the doomed worker took a job");
        } finally {
            doomed.kill();
        }
        long orphaned = db.count("select count(*) from extraction_jobs where user_id = ? and status = 'processing'", user);
        assertTrue(orphaned > 0, "the kill left jobs in processing");

        Await.until(WAIT, "every job of the killed worker completed by the survivor",
                () -> db.count("select count(*) from extraction_jobs where user_id = ? and status <> 'completed'", user),
                n -> n == 0);
        assertEquals(db.count("select count(*) from extraction_jobs where user_id = ?", user),
                db.count("select count(*) from extraction_results r join extraction_jobs j on j.id = r.job_id where j.user_id = ?", user),
                "exactly one result per job");
    }

    private static ServiceProcess startWorker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(common());
        props.put("distill.extraction.provider", "offline");
        props.put("distill.worker.lease-duration", "5s");
        props.put("distill.worker.lease-renew-interval", "1s");
        props.put("distill.sweeper.interval", "1s");
        // the lease owner names the process, so the test can tell whose jobs are whose
        props.put("distill.worker.id", name);
        props.putAll(extra);
        return ServiceProcess.start("extraction-worker", name, Ports.free(), props).awaitReady(WAIT);
    }

    private static Map<String, String> common() {
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    /** The gateway reads events from the end: wait until it has its partitions by watching a probe job. */
    private static void awaitGatewayAssigned(WsClient ws, String user) throws Exception {
        UUID probe = submit(user, "probe");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String message = ws.next(Duration.ofSeconds(2));
            if (message != null && message.contains(probe.toString()) && message.contains("\"completed\"")) {
                return;
            }
            if (message == null && "completed".equals(get(user, "/api/jobs/" + probe).get("status").asText())) {
                probe = submit(user, "probe");
            }
        }
        throw new AssertionError("the gateway never streamed a probe job");
    }

    private static UUID submit(String user, String text) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.url("/api/jobs")))
                    .header("Content-Type", "application/json").header("X-Distill-User", user)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("text", text)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            return UUID.fromString(Json.mapper().readTree(r.body()).get("id").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(String user, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.url(path))).header("X-Distill-User", user).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
