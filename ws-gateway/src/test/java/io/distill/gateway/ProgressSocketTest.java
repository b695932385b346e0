package io.distill.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.RunEvent;
import io.distill.model.RunStatus;
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
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The gateway against real Kafka and PostgreSQL, with a real WebSocket client. */
@Tag("infra")
@QuarkusTest
@WithTestResource(value = InfraResource.class, initArgs = @ResourceArg(name = "migrate", value = "true"))
class ProgressSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/ws/progress")
    URI socket;

    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "distill.test.key-dir")
    String keyDir;

    Db db;
    KafkaProbe kafka;

    @BeforeEach
    void setUp() {
        db = new Db(jdbcUrl);
        kafka = new KafkaProbe(bootstrap);
    }

    @Test
    void subscriberGetsStoredStateThenOnlyNewerEventsWithProgressNeverGoingBack() throws Exception {
        UUID job = insertJob("alice", 10, 2);
        UUID othersJob = insertJob("bob", 0, 0);
        try (WsClient ws = connect("alice")) {
            ws.send("{\"type\":\"subscribe\",\"jobId\":\"" + job + "\"}");
            assertEquals("subscribed", type(ws.next(WAIT)));
            ProgressEvent snapshot = progress(ws.next(WAIT));
            assertEquals(2, snapshot.seq());
            assertEquals(10, snapshot.progress());

            long seq = awaitGatewayListening(ws, job, "alice", 3);
            double measuredBefore = eventsMeasuredForLag();
            publish(job, "alice", seq + 1, 35, JobStatus.PROCESSING);
            publish(job, "alice", seq + 1, 40, JobStatus.PROCESSING); // duplicate sequence: dropped
            publish(job, "alice", seq + 2, 20, JobStatus.PROCESSING); // newer, progress behind: shown at 35
            publish(othersJob, "bob", 50, 50, JobStatus.PROCESSING); // someone else's: never seen
            publish(job, "bob", seq + 3, 60, JobStatus.PROCESSING); // wrong owner on alice's job id: dropped
            publish(
                    job,
                    "alice",
                    seq + 4,
                    10,
                    JobStatus.CANCELLED); // the row's progress, behind the stream: still arrives

            List<ProgressEvent> got = new ArrayList<>();
            while (got.isEmpty() || got.get(got.size() - 1).status() != JobStatus.CANCELLED) {
                String message = ws.next(WAIT);
                assertNotNull(message, "the cancellation arrives; so far " + got);
                got.add(progress(message));
            }
            assertEquals(
                    List.of(seq + 1, seq + 2, seq + 4),
                    got.stream().map(ProgressEvent::seq).toList());
            assertEquals(
                    List.of(35, 35, 35),
                    got.stream().map(ProgressEvent::progress).toList());
            assertTrue(got.stream().allMatch(e -> e.jobId().equals(job)));
            // the five events on alice's job id (one partition) all arrived before the cancellation went out
            double measuredAfter = eventsMeasuredForLag();
            assertTrue(
                    measuredAfter >= measuredBefore + 5,
                    "every event's age on arrival is measured: " + measuredBefore + " before, " + measuredAfter
                            + " after");
        }
    }

    private double eventsMeasuredForLag() throws Exception {
        String text = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(metrics).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        return text.lines()
                // "name value [# exemplar]": the value is the second field
                .filter(line -> line.startsWith("distill_ws_events_lag_seconds_count"))
                .mapToDouble(line -> Double.parseDouble(line.split("\\s+")[1]))
                .sum();
    }

    @Test
    void anotherUsersJobCannotBeSubscribedTo() throws Exception {
        UUID bobsJob = insertJob("bob", 40, 4);
        try (WsClient ws = connect("alice")) {
            ws.send("{\"type\":\"subscribe\",\"jobId\":\"" + bobsJob + "\"}");
            JsonNode answer = Json.mapper().readTree(ws.next(WAIT));
            assertEquals("error", answer.get("type").asText());
            assertEquals("no job " + bobsJob, answer.get("reason").asText());
            publish(bobsJob, "bob", 5, 50, JobStatus.PROCESSING);
            assertEquals(null, ws.next(Duration.ofSeconds(2)), "nothing of bob's reaches alice");
        }
    }

    @Test
    void subscribeAllSendsRecentJobsAndThenTheirEvents() throws Exception {
        String user = "carol-" + UUID.randomUUID().toString().substring(0, 6);
        UUID first = insertJob(user, 0, 0);
        UUID second = insertJob(user, 85, 5);
        try (WsClient ws = connect(user)) {
            ws.send("{\"type\":\"subscribe\",\"all\":true}");
            assertEquals("subscribed", type(ws.next(WAIT)));
            List<UUID> snapshotJobs = List.of(
                    progress(ws.next(WAIT)).jobId(), progress(ws.next(WAIT)).jobId());
            assertTrue(snapshotJobs.containsAll(List.of(first, second)), snapshotJobs.toString());
            long seq = awaitGatewayListening(ws, first, user, 1);
            publish(first, user, seq + 1, 100, JobStatus.COMPLETED);
            ProgressEvent done = progress(ws.next(WAIT));
            assertEquals(first, done.jobId());
            assertEquals(JobStatus.COMPLETED, done.status());
        }
    }

    @Test
    void aReconnectingClientGetsOnlyWhatIsNewerThanItsLastSequence() throws Exception {
        UUID job = insertJob("erin", 35, 7);
        try (WsClient ws = connect("erin")) {
            // the client saw seq 7 before it lost its connection: the stored state is not news
            ws.send("{\"type\":\"subscribe\",\"jobId\":\"" + job + "\",\"lastSeq\":7}");
            assertEquals("subscribed", type(ws.next(WAIT)));
            long seq = awaitGatewayListening(ws, job, "erin", 8);
            publish(job, "erin", seq + 1, 85, JobStatus.PROCESSING);
            assertEquals(seq + 1, progress(ws.next(WAIT)).seq());
        }
        try (WsClient ws = connect("erin")) {
            ws.send("{\"type\":\"subscribe\",\"all\":true,\"lastSeqs\":{\"" + job + "\":3}}");
            assertEquals("subscribed", type(ws.next(WAIT)));
            ProgressEvent snapshot = progress(ws.next(WAIT));
            assertEquals(job, snapshot.jobId());
            assertTrue(snapshot.seq() > 3, "the stored state is newer than what this client saw: " + snapshot);
        }
    }

    @Test
    void malformedMessagesGetAReasonAndTheConnectionStays() throws Exception {
        try (WsClient ws = connect("dave")) {
            ws.send("not json");
            assertEquals("error", type(ws.next(WAIT)));
            ws.send("{\"type\":\"subscribe\",\"jobId\":\"nope\"}");
            assertEquals("error", type(ws.next(WAIT)));
            UUID job = insertJob("dave", 0, 0);
            ws.send("{\"type\":\"subscribe\",\"jobId\":\"" + job + "\"}");
            assertEquals("subscribed", type(ws.next(WAIT)));
        }
    }

    @Test
    void upgradesWithoutAValidTicketAreRefused() {
        TokenForge forge = TokenForge.at(keyDir);
        Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("no ticket", null);
        hostile.put("expired", forge.expired("alice", "distill-ws"));
        hostile.put("wrong issuer", forge.wrongIssuer("alice", "distill-ws"));
        hostile.put("bad signature", forge.badSignature("alice", "distill-ws"));
        hostile.put("alg=none", forge.unsigned("alice", "distill-ws"));
        hostile.put("API access token (long-lived) in the URL", forge.valid("alice", "distill-api", List.of("user")));
        hostile.forEach((kind, ticket) -> {
            String url = base() + (ticket == null ? "" : "?ticket=" + ticket);
            assertThrows(
                    java.util.concurrent.CompletionException.class,
                    () -> WsClient.connect(url).close(),
                    kind + ": the upgrade must be refused");
        });

        String once = forge.valid("alice", "distill-ws", List.of("user"));
        WsClient.connect(base() + "?ticket=" + once).close();
        assertThrows(
                java.util.concurrent.CompletionException.class,
                () -> WsClient.connect(base() + "?ticket=" + once).close(),
                "a ticket opens one connection");
    }

    @Test
    void adminsFollowRunCountersThatNeverGoBackAndUsersMayNotFollowRuns() throws Exception {
        try (WsClient ws = connect("frank")) {
            ws.send("{\"type\":\"subscribe\",\"runs\":true}");
            JsonNode answer = Json.mapper().readTree(ws.next(WAIT));
            assertEquals("error", answer.get("type").asText());
            assertEquals(
                    "runs are followed by admins only", answer.get("reason").asText());
        }
        UUID run = UUID.randomUUID();
        String ticket = TokenForge.at(keyDir).valid("ops", "distill-ws", List.of("user", "admin"));
        try (WsClient ws = WsClient.connect(base() + "?ticket=" + ticket)) {
            ws.send("{\"type\":\"subscribe\",\"runs\":true}");
            assertEquals("subscribed", type(ws.next(WAIT)));
            // the gateway's consumer starts at the end of the topic: publish growing counters until one arrives
            java.util.concurrent.atomic.AtomicInteger processed = new java.util.concurrent.atomic.AtomicInteger();
            org.awaitility.Awaitility.await("the gateway follows the run events")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                publishRun(run, RunStatus.RUNNING, processed.incrementAndGet());
                                return ws.next(Duration.ofMillis(500));
                            },
                            java.util.Objects::nonNull);
            publishRun(run, RunStatus.RUNNING, 0);
            publishRun(run, RunStatus.SUCCEEDED, 1_000);
            RunEvent last;
            do {
                last = runEvent(ws.next(WAIT));
                assertTrue(last.processed() > 0, "counters behind what was shown are not sent: " + last);
            } while (last.status() != RunStatus.SUCCEEDED);
            assertEquals(1_000, last.processed());
            publishRun(run, RunStatus.RUNNING, 2_000);
            assertEquals(null, ws.next(Duration.ofSeconds(2)), "a run that ended stays ended");
        }
    }

    private void publishRun(UUID run, RunStatus status, int processed) {
        kafka.send(
                Topics.RUN_EVENTS,
                run.toString(),
                Json.write(new RunEvent(
                        RunEvent.SCHEMA_VERSION,
                        run,
                        "u1",
                        status,
                        1_000,
                        processed,
                        processed,
                        0,
                        0,
                        0,
                        null,
                        java.time.Instant.now())));
    }

    private static RunEvent runEvent(String message) throws Exception {
        assertNotNull(message, "a message arrives");
        JsonNode node = Json.mapper().readTree(message);
        assertEquals("run", node.get("type").asText(), message);
        return Json.mapper().treeToValue(node.get("run"), RunEvent.class);
    }

    private long awaitGatewayListening(WsClient ws, UUID job, String user, long firstSeq) throws Exception {
        return GatewayProbe.awaitListening(kafka, ws, job, user, firstSeq, 60);
    }

    private WsClient connect(String user) {
        return WsClient.connect(base() + "?ticket=" + TokenForge.at(keyDir).valid(user, "distill-ws", List.of("user")));
    }

    private String base() {
        return socket.toString().replace("http", "ws");
    }

    private UUID insertJob(String user, int progress, long seq) {
        UUID id = UUID.randomUUID();
        db.update(
                "insert into extraction_jobs (id, user_id, source_kind, format, source_text, progress, event_seq, current_stage) "
                        + "values (?, ?, 'message', 'text', 'x', ?, ?, 'LOAD')",
                id,
                user,
                progress,
                seq);
        return id;
    }

    private void publish(UUID job, String user, long seq, int progress, JobStatus status) {
        kafka.send(
                Topics.JOB_EVENTS,
                job.toString(),
                Json.write(ProgressEvent.of(job, user, Stage.TEXT_EXTRACT, status, progress, seq)));
    }

    private static String type(String message) throws Exception {
        assertNotNull(message, "a message arrives");
        return Json.mapper().readTree(message).get("type").asText();
    }

    private static ProgressEvent progress(String message) throws Exception {
        assertNotNull(message, "a message arrives");
        JsonNode node = Json.mapper().readTree(message);
        assertEquals("progress", node.get("type").asText(), message);
        return Json.mapper().treeToValue(node.get("event"), ProgressEvent.class);
    }
}
