package io.distill.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.testinfra.KraftBroker;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;
import io.distill.testinfra.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One job, one trace: the REST call (api), the outbox relay's send, the worker's consumer span and
 * its stages, and the gateway's push to the WebSocket, exported over OTLP by three processes; and
 * the Prometheus metrics each service serves about it.
 */
class ObservabilityIT {

    @Test
    void oneJobsTraceHoldsSpansOfAllThreeServices() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start();
                KraftBroker kafka = KraftBroker.start();
                OtlpReceiver otlp = new OtlpReceiver();
                Stack stack = new Stack(pg, kafka.bootstrapServers())
                        .withEverywhere(Map.of(
                                "quarkus.otel.sdk.disabled", "false",
                                "quarkus.otel.exporter.otlp.traces.endpoint", otlp.endpoint(),
                                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                                "quarkus.otel.bsp.schedule.delay", "200ms"))
                        .startApi()) {
            ServiceProcess worker = stack.startWorker("worker-traced", Map.of());
            ServiceProcess gateway = stack.startGateway();
            String user = "traced-" + UUID.randomUUID().toString().substring(0, 8);

            UUID job = null;
            try (WsClient ws = WsClient.connect(
                    gateway.url("/ws/progress?ticket=" + stack.wsTicket(user)).replace("http", "ws"))) {
                ws.send("{\"type\":\"subscribe\",\"all\":true}");
                // the gateway reads from the end of the events topic: submit until a job's completion reaches the
                // socket
                for (int attempt = 0; attempt < 8 && job == null; attempt++) {
                    UUID candidate =
                            stack.submit(user, "Traced report " + attempt + ": revenue EUR 1,200 on 2026-11-24.");
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (System.nanoTime() < deadline && job == null) {
                        String message = ws.next(Duration.ofSeconds(2));
                        JsonNode node = message == null ? null : Json.mapper().readTree(message);
                        if (node != null
                                && "progress".equals(node.path("type").asText())
                                && candidate
                                        .toString()
                                        .equals(node.at("/event/jobId").asText())
                                && "completed".equals(node.at("/event/status").asText())) {
                            job = candidate;
                        }
                    }
                }
            }
            assertNotNull(job, "no job's completion reached the WebSocket");
            String jobId = job.toString();

            // each service exports on its own schedule: the later stages' spans may come after the first ones
            List<OtlpReceiver.ReceivedSpan> trace = await("the job's trace from all three services")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () -> traceOf(otlp.spans(), jobId),
                            spans -> services(spans).size() == 3
                                    && spans.stream().anyMatch(s -> s.name().equals("distill.stage LLM_EXTRACT")));
            Set<String> services = services(trace);
            List<String> names = trace.stream()
                    .map(s -> s.service() + ":" + s.name())
                    .sorted()
                    .toList();
            assertEquals(
                    Set.of("distill-api", "distill-worker", "distill-gateway"),
                    services,
                    "spans of the job's trace: " + names);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("distill-api:POST /api/jobs")), names.toString());
            assertTrue(names.contains("distill-worker:distill.stage LLM_EXTRACT"), names.toString());
            assertTrue(names.contains("distill-gateway:distill.ws.push"), names.toString());

            String workerMetrics = metrics(worker);
            assertTrue(
                    workerMetrics.contains("distill_stage_duration_seconds_count{stage=\"LLM_EXTRACT\"}"),
                    workerMetrics);
            assertTrue(
                    workerMetrics.contains("distill_jobs_attempts_total{error=\"none\",outcome=\"completed\"}"),
                    workerMetrics);
            assertTrue(workerMetrics.contains("kafka_consumer_fetch_manager_records_lag"), "consumer lag is exported");
            String gatewayMetrics = metrics(gateway);
            assertTrue(gatewayMetrics.contains("distill_ws_events_sent_total"), gatewayMetrics);
            assertTrue(gatewayMetrics.contains("distill_ws_connections"), gatewayMetrics);
            // the job-status gauge is refreshed every few seconds
            await("the API's job gauge counts the completed job")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> metrics(stack.api()),
                            m -> m.matches("(?s).*distill_jobs\\{status=\"completed\"} [1-9].*"));
        }
    }

    /** The spans of the trace that holds the job's stages (none while no stage span has arrived). */
    private static List<OtlpReceiver.ReceivedSpan> traceOf(List<OtlpReceiver.ReceivedSpan> spans, String jobId) {
        return spans.stream()
                .filter(s -> jobId.equals(s.attributes().get("distill.job.id"))
                        && s.name().startsWith("distill.stage"))
                .map(OtlpReceiver.ReceivedSpan::traceId)
                .findFirst()
                .map(traceId ->
                        spans.stream().filter(s -> s.traceId().equals(traceId)).toList())
                .orElse(List.of());
    }

    private static Set<String> services(List<OtlpReceiver.ReceivedSpan> spans) {
        return spans.stream().map(OtlpReceiver.ReceivedSpan::service).collect(Collectors.toSet());
    }

    private static String metrics(ServiceProcess service) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.managementUrl("/q/metrics")))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
