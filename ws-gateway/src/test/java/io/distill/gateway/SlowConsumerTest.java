package io.distill.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.distill.testinfra.TokenForge;
import io.distill.testinfra.WsClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A client that stops reading is closed once its sends pile up; the others keep getting everything. */
@Tag("infra")
@QuarkusTest
@WithTestResource(value = InfraResource.class, initArgs = @ResourceArg(name = "migrate", value = "true"))
class SlowConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/ws/progress")
    URI socket;

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "distill.test.key-dir")
    String keyDir;

    @Inject
    Subscriptions subscriptions;

    @Test
    void aStalledClientIsDroppedAndAHealthyOneIsNot() throws Exception {
        String user = "slow-" + UUID.randomUUID().toString().substring(0, 6);
        UUID job = UUID.randomUUID();
        new Db(jdbcUrl)
                .update(
                        "insert into extraction_jobs (id, user_id, source_kind, format, source_text) values (?, ?, 'message', 'text', 'x')",
                        job,
                        user);
        TokenForge forge = TokenForge.at(keyDir);
        String base = socket.toString().replace("http", "ws") + "?ticket=";
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        int before = subscriptions.openConnections();
        try (WsClient healthy = WsClient.connect(base + forge.valid(user, "distill-ws", List.of("user")));
                WsClient stalled = WsClient.connectStalled(base + forge.valid(user, "distill-ws", List.of("user")))) {
            healthy.send("{\"type\":\"subscribe\",\"all\":true}");
            stalled.send("{\"type\":\"subscribe\",\"all\":true}");
            assertEquals(
                    "subscribed",
                    Json.mapper().readTree(healthy.next(WAIT)).get("type").asText());
            assertEquals(before + 2, subscriptions.openConnections());

            // events with a fat error message, so that the socket buffers fill quickly
            String padding = "x".repeat(2000);
            long seq = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (subscriptions.openConnections() > before + 1 && System.nanoTime() < deadline) {
                List<String[]> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    seq++;
                    batch.add(new String[] {
                        job.toString(),
                        Json.write(ProgressEvent.of(job, user, Stage.LLM_EXTRACT, JobStatus.PROCESSING, 50, seq)
                                .withError(null, padding))
                    });
                }
                kafka.sendAll(Topics.JOB_EVENTS, batch);
                Thread.sleep(50);
            }
            assertEquals(before + 1, subscriptions.openConnections(), "the stalled client was closed");

            // the healthy client still gets the newest events
            long last = seq;
            String message;
            long newest = 0;
            long end = System.nanoTime() + WAIT.toNanos();
            while (newest < last
                    && System.nanoTime() < end
                    && (message = healthy.next(Duration.ofSeconds(10))) != null) {
                var node = Json.mapper().readTree(message);
                if ("progress".equals(node.get("type").asText())) {
                    newest = node.get("event").get("seq").asLong();
                }
            }
            assertEquals(last, newest, "the healthy client kept up to the last event");
            System.out.printf(
                    "[gateway] stalled client closed after %d events; the healthy one received all of them%n", seq);
        }
    }
}
