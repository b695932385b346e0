package io.distill.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** 1,000 authenticated WebSocket clients on one gateway: each gets all of its own events, in order, and nothing else. */
@Tag("infra")
@QuarkusTest
@WithTestResource(value = InfraResource.class, initArgs = @ResourceArg(name = "migrate", value = "true"))
class ManyClientsTest {
    private static final int USERS = 100;
    private static final int CLIENTS_PER_USER = 10;
    private static final int EVENTS_PER_JOB = 5;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/ws/progress")
    URI socket;

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "distill.test.key-dir")
    String keyDir;

    @Test
    void thousandClientsEachGetTheirOwnEventsInOrder() throws Exception {
        Db db = new Db(jdbcUrl);
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        TokenForge forge = TokenForge.at(keyDir);
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> users = new ArrayList<>();
        List<UUID> jobs = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String user = "many-" + run + "-" + u;
            UUID job = UUID.randomUUID();
            db.update(
                    "insert into extraction_jobs (id, user_id, source_kind, format, source_text, event_seq) values (?, ?, 'message', 'text', 'x', 0)",
                    job,
                    user);
            users.add(user);
            jobs.add(job);
        }
        List<WsClient> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int u = 0; u < USERS; u++) {
                for (int c = 0; c < CLIENTS_PER_USER; c++) {
                    WsClient client = WsClient.connect(socket.toString().replace("http", "ws") + "?ticket="
                            + forge.valid(users.get(u), "distill-ws", List.of("user")));
                    client.send("{\"type\":\"subscribe\",\"all\":true}");
                    clients.add(client);
                }
            }
            for (WsClient client : clients) {
                assertEquals(
                        "subscribed",
                        Json.mapper().readTree(client.next(WAIT)).get("type").asText());
                assertNotNull(client.next(WAIT), "the stored state of the user's job");
            }
            long connected = (System.nanoTime() - t0) / 1_000_000;

            long probeSeq = GatewayProbe.awaitListening(kafka, clients.get(0), jobs.get(0), users.get(0), 1, 120);
            for (WsClient client : clients.subList(0, CLIENTS_PER_USER)) {
                client.drain();
            }
            Thread.sleep(300);
            for (WsClient client : clients.subList(0, CLIENTS_PER_USER)) {
                client.drain();
            }

            long base = probeSeq;
            List<String[]> events = new ArrayList<>();
            for (int e = 1; e <= EVENTS_PER_JOB; e++) {
                for (int u = 0; u < USERS; u++) {
                    events.add(new String[] {
                        jobs.get(u).toString(),
                        Json.write(ProgressEvent.of(
                                jobs.get(u), users.get(u), Stage.LLM_EXTRACT, JobStatus.PROCESSING, e * 20, base + e))
                    });
                }
            }
            kafka.sendAll(Topics.JOB_EVENTS, events);
            for (int i = 0; i < clients.size(); i++) {
                int u = i / CLIENTS_PER_USER;
                List<Long> seqs = new ArrayList<>();
                while (seqs.size() < EVENTS_PER_JOB) {
                    String message = clients.get(i).next(WAIT);
                    assertNotNull(message, "client " + i + " got " + seqs);
                    ProgressEvent event = Json.mapper()
                            .treeToValue(Json.mapper().readTree(message).get("event"), ProgressEvent.class);
                    assertEquals(jobs.get(u), event.jobId(), "client " + i + " only sees its user's job");
                    assertEquals(users.get(u), event.userId());
                    seqs.add(event.seq());
                }
                List<Long> expected = new ArrayList<>();
                for (int e = 1; e <= EVENTS_PER_JOB; e++) {
                    expected.add(base + e);
                }
                assertEquals(expected, seqs, "client " + i + " got every event in order");
            }
            assertEquals(null, clients.get(clients.size() - 1).next(Duration.ofMillis(500)), "and nothing more");
            System.out.printf(
                    "[gateway] %d clients connected and subscribed in %d ms; %d events each delivered in order%n",
                    clients.size(), connected, EVENTS_PER_JOB);
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
