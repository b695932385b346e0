package io.distill.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.distill.model.Json;
import io.distill.model.Tenancy;
import io.distill.model.projects.Templates;
import io.distill.testinfra.KraftBroker;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.RawHttp;
import io.distill.testinfra.Resources;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;
import io.distill.testinfra.TokenForge;
import io.distill.testinfra.WsClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * Distill as an attacker meets it: the packaged API, worker and gateway as processes on real
 * PostgreSQL and Kafka, and every request a client should not send — one dynamic test per case,
 * grouped by the numbered findings of the "safe to expose" review. Each case asserts the exact
 * status and error code; at the end no service has logged a stack trace, every service is
 * healthy, every accepted job has ended, and a listener that every project definition pointed
 * at has received nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
    private static final Duration WAIT = Stack.WAIT;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final String PASSWORD = "hostile password, long enough";
    private static final int REGISTRATIONS_PER_ADDRESS = 60;
    private static final int SUBMISSIONS_PER_MINUTE = 60;
    private static final int BURST = 40;

    static LocalPostgres pg;
    static KraftBroker kafka;
    static Stack stack;
    static ServiceProcess worker;
    static ServiceProcess gateway;
    static HttpServer listener;
    static final AtomicInteger LISTENER_REQUESTS = new AtomicInteger();
    static final Map<String, Integer> LOG_START = new ConcurrentHashMap<>();
    static final List<UUID> ACCEPTED = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            LISTENER_REQUESTS.incrementAndGet();
            exchange.sendResponseHeaders(200, 0);
            exchange.close();
        });
        listener.start();
        pg = LocalPostgres.start();
        kafka = KraftBroker.start();
        stack = new Stack(pg, kafka.bootstrapServers())
                .startApi(Map.of(
                        "distill.auth.throttle.registrations-per-address", String.valueOf(REGISTRATIONS_PER_ADDRESS),
                        "distill.rate-limit.submissions-per-minute", String.valueOf(SUBMISSIONS_PER_MINUTE),
                        "distill.rate-limit.burst", String.valueOf(BURST),
                        "distill.rate-limit.block-size", "5"));
        worker = stack.startWorker(
                "hostile-worker",
                Map.of(
                        "distill.formats.timeout", "20s",
                        "distill.pipeline.stage-timeout.llm-extract", "20s"));
        gateway = stack.startGateway();
        for (ServiceProcess service : List.of(stack.api(), worker, gateway)) {
            LOG_START.put(service.url(""), service.log().length());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, kafka, pg);
        if (listener != null) {
            listener.stop(0);
        }
    }

    // --- 1. Roles never follow from a chosen name

    @TestFactory
    @Order(1)
    Stream<DynamicTest> rolesNeverFollowFromAName() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<DynamicTest> cases = new ArrayList<>();
        for (String reserved : List.of("admin", "Admin", "ADMIN", "root", "System", "administrator")) {
            cases.add(test(
                    "register " + reserved + " is refused",
                    () -> assertError(register(reserved, PASSWORD), 400, "bad_request")));
        }
        cases.add(test("names are case-folded: ALICE after alice is taken", () -> {
            assertEquals(201, register("alice-" + suffix, PASSWORD).status());
            assertError(register("ALICE-" + suffix, PASSWORD), 409, "conflict");
        }));
        cases.add(test("an ordinary account's token carries the user role only", () -> {
            Answer token = post("/api/auth/token", null, credentials("alice-" + suffix, PASSWORD));
            assertEquals(200, token.status(), token.body());
            assertEquals("[\"user\"]", token.json().get("roles").toString());
        }));
        cases.add(test(
                "an ordinary user cannot start a run",
                () -> assertError(post("/api/runs", token("eve"), "{}"), 403, "forbidden")));
        cases.add(test(
                "an ordinary user cannot list runs",
                () -> assertError(get("/api/runs", token("eve")), 403, "forbidden")));
        cases.add(test(
                "a token with admin signed by another key is refused",
                () -> assertError(get("/api/runs", forge().badSignature("eve", "distill-api")), 401, "unauthorized")));
        cases.add(test(
                "an unsigned token claiming admin is refused",
                () -> assertError(get("/api/runs", forge().unsigned("eve", "distill-api")), 401, "unauthorized")));
        return cases.stream();
    }

    // --- 2. No message can hold the pipeline

    @TestFactory
    @Order(2)
    Stream<DynamicTest> costlyMessagesEndWithinTheirDeadline() {
        return Stream.of(
                test("200,000 digits are accepted and end", () -> acceptAndEnd("digits", "1".repeat(200_000))),
                test("1,000,000 characters are accepted and end", () -> acceptAndEnd("long", "word ".repeat(200_000))),
                test(
                        "1,000,001 characters are refused",
                        () -> assertError(submit("long", "x".repeat(1_000_001)), 400, "invalid_request")),
                test("a 100 KB DXF of digits is accepted and ends", () -> {
                    String dxf = "0\nSECTION\n2\nENTITIES\n0\nTEXT\n8\n0\n1\n" + "9".repeat(100_000)
                            + "\n0\nENDSEC\n0\nEOF\n";
                    Answer answer = upload("digits", "digits.dxf", dxf.getBytes(StandardCharsets.US_ASCII), Map.of());
                    assertEquals(202, answer.status(), answer.body());
                    awaitEnded(UUID.fromString(answer.json().get("id").asText()), Duration.ofSeconds(60));
                }));
    }

    @Test
    @Order(3)
    void ordinaryJobsOfAnotherUserCompleteWhileHostileOnesRun() throws Exception {
        List<UUID> hostile = new ArrayList<>();
        hostile.add(accept(submit("attacker", "7".repeat(200_000))));
        hostile.add(accept(submit("attacker", "word ".repeat(200_000))));
        long t0 = System.nanoTime();
        List<UUID> ordinary = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ordinary.add(accept(submit(
                    "bystander",
                    "Quarterly note " + i + "\n\nRevenue EUR " + (100 + i) + " on 2026-11-0" + (1 + i % 9) + ".")));
        }
        for (UUID id : ordinary) {
            await("ordinary job " + id)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> status("bystander", id), "completed"::equals);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[hostile] 20 ordinary jobs completed in %d ms beside 2 hostile ones%n", millis);
        assertTrue(millis < 10_000, "20 ordinary jobs took " + millis + " ms");
        for (UUID id : hostile) {
            awaitEnded(id, Duration.ofSeconds(40));
        }
    }

    // --- 3, 4, 8. Project definitions: no fetches, no cycles, no definition that cannot run

    @TestFactory
    @Order(4)
    Stream<DynamicTest> projectDefinitionsAreCheckedAndFetchNothing() {
        String here = "http://127.0.0.1:" + listener.getAddress().getPort();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("$ref to an http URL", schema("{\"a\":{\"$ref\":\"" + here + "/x\"}}", ""));
        refused.put(
                "$ref to the API itself",
                schema("{\"a\":{\"$ref\":\"" + stack.api().url("/api/templates") + "\"}}", ""));
        refused.put("$ref to a file", schema("{\"a\":{\"$ref\":\"file:/etc/passwd\"}}", ""));
        refused.put("$ref to the class path", schema("{\"a\":{\"$ref\":\"classpath:application.properties\"}}", ""));
        refused.put("$id with a URL", schema("{\"a\":{\"type\":\"string\"}}", "\"$id\":\"" + here + "/\","));
        refused.put(
                "$schema with a URL", schema("{\"a\":{\"type\":\"string\"}}", "\"$schema\":\"" + here + "/meta\","));
        refused.put("$dynamicRef", schema("{\"a\":{\"$dynamicRef\":\"" + here + "/d#x\"}}", ""));
        refused.put("a cycle at the root", schema("{\"a\":{\"type\":\"string\"}}", "\"$ref\":\"#\","));
        refused.put(
                "a cycle through if/then",
                schema("{\"a\":{\"type\":\"string\"}}", "\"if\":{\"required\":[\"a\"]},\"then\":{\"$ref\":\"#\"},"));
        refused.put("type strin", schema("{\"a\":{\"type\":\"strin\"}}", ""));
        refused.put("minLength -1", schema("{\"a\":{\"type\":\"string\",\"minLength\":-1}}", ""));
        refused.put(
                "an optional property",
                "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[],"
                        + "\"properties\":{\"a\":{\"type\":\"string\"}}}");
        refused.put(
                "additionalProperties true",
                "{\"type\":\"object\",\"additionalProperties\":true,\"required\":[\"a\"],"
                        + "\"properties\":{\"a\":{\"type\":\"string\"}}}");
        List<DynamicTest> cases = new ArrayList<>();
        refused.forEach((name, schema) -> cases.add(test(
                "project with " + name + " is refused",
                () -> assertError(
                        createProject(
                                "owner",
                                "{\"name\":\"p-" + UUID.randomUUID() + "\",\"definition\":{\"schema\":" + schema
                                        + "}}"),
                        400,
                        "invalid_project"))));
        String fine = schema("{\"a\":{\"type\":\"string\"}}", "");
        cases.add(test(
                "maxTokens -5 is refused",
                () -> assertError(
                        createProject("owner", definition(fine, "\"model\":{\"maxTokens\":-5}")),
                        400,
                        "invalid_project")));
        cases.add(test(
                "temperature -100 is refused",
                () -> assertError(
                        createProject("owner", definition(fine, "\"model\":{\"temperature\":-100}")),
                        400,
                        "invalid_project")));
        cases.add(test(
                "a news_event record with a schema that lacks its fields is refused",
                () -> assertError(
                        createProject("owner", definition(fine, "\"record\":\"news_event\"")),
                        400,
                        "invalid_project")));
        cases.add(test(
                "a rule nested 40 deep is refused",
                () -> assertError(
                        createProject(
                                "owner",
                                definition(
                                        fine,
                                        "\"rules\":[{\"name\":\"deep\",\"expression\":\"" + "(".repeat(40) + "true"
                                                + ")".repeat(40) + "\"}]")),
                        400,
                        "invalid_project")));
        cases.add(test("a rule of 10^7 iterations is stopped by its budget", () -> {
            String ten = "[0,1,2,3,4,5,6,7,8,9]";
            String rule = ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, " + ten + ".all(e, "
                    + ten + ".all(f, " + ten + ".all(g, true)))))))";
            String titled = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"title\"],"
                    + "\"properties\":{\"title\":{\"type\":\"string\"}}}";
            Answer created = createProject(
                    "owner", definition(titled, "\"rules\":[{\"name\":\"costly\",\"expression\":\"" + rule + "\"}]"));
            assertEquals(201, created.status(), created.body());
            Answer job = post(
                    "/api/jobs",
                    token("owner"),
                    Json.write(Map.of(
                            "text",
                            "a record",
                            "project",
                            created.json().get("id").asText())));
            UUID id = accept(job);
            JsonNode ended = awaitEnded(id, Duration.ofSeconds(30));
            assertEquals("failed", ended.get("status").asText());
            assertTrue(ended.at("/error/message").asText().contains("Iteration budget exceeded"), ended.toString());
        }));
        cases.add(test(
                "a 3 MiB project is refused before it is read",
                () -> assertError(
                        createProject(
                                "owner",
                                "{\"name\":\"big\",\"definition\":{\"description\":\"" + "x".repeat(3 * 1024 * 1024)
                                        + "\"}}"),
                        413,
                        "payload_too_large")));
        cases.add(test("nothing a definition named was fetched", () -> assertEquals(0, LISTENER_REQUESTS.get())));
        return cases.stream();
    }

    // --- 5, 6. Bounded bodies, metadata and lists

    @TestFactory
    @Order(5)
    Stream<DynamicTest> bodiesAndStoredValuesAreBounded() {
        return Stream.of(
                test(
                        "1.9 MB of metadata is refused",
                        () -> assertError(
                                post(
                                        "/api/jobs",
                                        token("mem"),
                                        Json.write(Map.of(
                                                "text", "t", "metadata", Map.of("blob", "x".repeat(1_900_000))))),
                                400,
                                "invalid_request")),
                test(
                        "metadata nested 999 deep is refused",
                        () -> assertError(
                                post(
                                        "/api/jobs",
                                        token("mem"),
                                        "{\"text\":\"t\",\"metadata\":" + "{\"a\":".repeat(999) + "1" + "}".repeat(999)
                                                + "}"),
                                400,
                                "malformed_json")),
                test(
                        "metadata nested 9 deep is refused",
                        () -> assertError(
                                post(
                                        "/api/jobs",
                                        token("mem"),
                                        "{\"text\":\"t\",\"metadata\":" + "{\"a\":".repeat(9) + "1" + "}".repeat(9)
                                                + "}"),
                                400,
                                "invalid_request")),
                test("metadata with 201 keys is refused", () -> {
                    Map<String, Object> keys = new LinkedHashMap<>();
                    for (int i = 0; i <= 200; i++) {
                        keys.put("k" + i, i);
                    }
                    assertError(
                            post("/api/jobs", token("mem"), Json.write(Map.of("text", "t", "metadata", keys))),
                            400,
                            "invalid_request");
                }),
                test(
                        "a page of 101 is refused",
                        () -> assertError(get("/api/jobs?limit=101", token("mem")), 400, "bad_request")),
                test("a list of jobs with large metadata answers summaries of bounded size", () -> {
                    Map<String, Object> metadata = Map.of("blob", "m".repeat(15_000));
                    for (int i = 0; i < 30; i++) {
                        accept(post(
                                "/api/jobs",
                                token("lister"),
                                Json.write(Map.of("text", "note " + i, "metadata", metadata))));
                    }
                    Answer page = get("/api/jobs?limit=30", token("lister"));
                    assertEquals(200, page.status());
                    assertEquals(30, page.json().get("items").size());
                    assertFalse(page.json().get("items").get(0).has("metadata"), "a list item carries no metadata");
                    assertFalse(page.json().get("items").get(0).has("result"), "a list item carries no result");
                    assertTrue(
                            page.body().length() < 30 * 1_000,
                            "a page of 30 is " + page.body().length() + " bytes");
                }),
                test("a chunked 10 MiB body is refused on what was read", () -> {
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create(stack.api().url("/api/jobs")))
                            .header("Authorization", "Bearer " + token("mem"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                                    new ByteArrayInputStream(("{\"text\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}")
                                            .getBytes(StandardCharsets.UTF_8))))
                            .build();
                    assertError(send(request), 413, "payload_too_large");
                }),
                test(
                        "3 MiB as Application/JSON is refused",
                        () -> assertError(
                                send(HttpRequest.newBuilder(
                                                URI.create(stack.api().url("/api/jobs")))
                                        .header("Authorization", "Bearer " + token("mem"))
                                        .header("Content-Type", "Application/JSON")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"text\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}"))
                                        .build()),
                                413,
                                "payload_too_large")),
                test(
                        "3 MiB as text/plain is refused",
                        () -> assertError(
                                send(HttpRequest.newBuilder(
                                                URI.create(stack.api().url("/api/jobs")))
                                        .header("Authorization", "Bearer " + token("mem"))
                                        .header("Content-Type", "text/plain")
                                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(3 * 1024 * 1024)))
                                        .build()),
                                413,
                                "payload_too_large")),
                test("Content-Length 5 with a chunked 3 MiB body is refused", () -> {
                    try (RawHttp raw = RawHttp.connect(stack.api().url(""))) {
                        String chunk = "x".repeat(3 * 1024 * 1024);
                        raw.send("POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("mem")
                                + "\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(chunk.length() + 10) + "\r\n{\"text\":\"" + chunk
                                + "\"}\r\n0\r\n\r\n");
                        String head = raw.readHead();
                        assertTrue(head.startsWith("HTTP/1.1 413"), head);
                        assertTrue(raw.readRest(4096).contains("payload_too_large"));
                    }
                }),
                test("an upload over 50 MiB is refused", () -> {
                    Answer answer = upload("mem", "big.txt", new byte[52 * 1024 * 1024], Map.of());
                    assertEquals(413, answer.status(), answer.body());
                }));
    }

    // --- 7. No input produces a 500, a stack trace or a retried persistence error

    @TestFactory
    @Order(6)
    Stream<DynamicTest> inputThatCannotBeStoredIsRefusedWithAReason() {
        return Stream.of(
                test(
                        "NUL in text",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\\u0000b\"}"), 400, "invalid_request")),
                test(
                        "NUL in a metadata value",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\",\"metadata\":{\"k\":\"v\\u0000\"}}"),
                                400,
                                "invalid_request")),
                test(
                        "NUL in a metadata key",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\",\"metadata\":{\"k\\u0000\":\"v\"}}"),
                                400,
                                "invalid_request")),
                test(
                        "NUL in options",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\",\"options\":{\"k\":[\"\\u0000\"]}}"),
                                400,
                                "invalid_request")),
                test(
                        "NUL in the project reference",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\",\"project\":\"news\\u0000\"}"),
                                400,
                                "invalid_request")),
                test(
                        "an unpaired surrogate in text",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\\ud800b\"}"), 400, "invalid_request")),
                test(
                        "NUL in a project name",
                        () -> assertError(
                                createProject("nul", "{\"name\":\"p\\u0000\",\"template\":\"generic\"}"),
                                400,
                                "invalid_request")),
                test(
                        "NUL in a prompt",
                        () -> assertError(
                                createProject(
                                        "nul",
                                        definition(
                                                schema("{\"a\":{\"type\":\"string\"}}", ""),
                                                "\"prompt\":{\"system\":\"be\\u0000good\"}")),
                                400,
                                "bad_request")),
                test(
                        "NUL in an upload's recordId",
                        () -> assertError(
                                upload("nul", "a.txt", "text".getBytes(), Map.of("recordId", "r\u0000")),
                                400,
                                "bad_request")),
                test(
                        "NUL in a list filter",
                        () -> assertError(get("/api/jobs?recordId=r%00", token("nul")), 400, "bad_request")),
                test(
                        "a 300-character attachment filter",
                        () -> assertError(
                                get("/api/jobs?attachmentId=" + "a".repeat(300), token("nul")), 400, "bad_request")),
                test(
                        "a records page of a billion",
                        () -> assertError(
                                get("/api/records/news-events?limit=1000000000", token("nul")), 400, "bad_request")),
                test(
                        "a raw newline in an upload's file name breaks the multipart header",
                        () -> assertError(
                                upload("nul", "two\nlines.txt", "some text".getBytes(), Map.of()), 400, "bad_request")),
                test("control characters in an upload's file name are dropped", () -> {
                    Answer answer = upload("nul", "bell\u0007tab\u0001.txt", "some text".getBytes(), Map.of());
                    assertEquals(202, answer.status(), answer.body());
                    JsonNode job =
                            awaitEnded(UUID.fromString(answer.json().get("id").asText()), WAIT);
                    assertEquals("belltab.txt", job.get("filename").asText());
                }),
                test("NUL past the first 8 KB of a .md is dropped, the job completes", () -> {
                    byte[] md = ("# Notes\n\n" + "text ".repeat(2_000) + "\u0000 after the NUL\n")
                            .getBytes(StandardCharsets.UTF_8);
                    Answer answer = upload("nul", "notes.md", md, Map.of());
                    assertEquals(202, answer.status(), answer.body());
                    JsonNode job =
                            awaitEnded(UUID.fromString(answer.json().get("id").asText()), WAIT);
                    assertEquals("completed", job.get("status").asText(), job.toString());
                }),
                test(
                        "invalid UTF-8 in a JSON body",
                        () -> assertError(
                                send(HttpRequest.newBuilder(
                                                URI.create(stack.api().url("/api/jobs")))
                                        .header("Authorization", "Bearer " + token("nul"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {
                                            '{',
                                            '"',
                                            't',
                                            'e',
                                            'x',
                                            't',
                                            '"',
                                            ':',
                                            '"',
                                            (byte) 0xC3,
                                            (byte) 0x28,
                                            '"',
                                            '}'
                                        }))
                                        .build()),
                                400,
                                "malformed_json")),
                test(
                        "trailing content after the JSON",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\"} {}"), 400, "malformed_json")),
                test(
                        "a number where text belongs",
                        () -> assertError(post("/api/jobs", token("nul"), "{\"text\":5}"), 400, "malformed_json")),
                test(
                        "text where a number belongs",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\",\"maxRetries\":\"3\"}"),
                                400,
                                "malformed_json")),
                test(
                        "an unknown field",
                        () -> assertError(
                                post("/api/jobs", token("nul"), "{\"text\":\"a\",\"evil\":1}"), 400, "malformed_json")),
                test(
                        "a JSON null body",
                        () -> assertError(post("/api/jobs", token("nul"), "null"), 400, "invalid_request")),
                test(
                        "a body that is not JSON",
                        () -> assertError(post("/api/jobs", token("nul"), "text=hello"), 400, "malformed_json")),
                test(
                        "a job id that is not a UUID",
                        () -> assertError(get("/api/jobs/not-a-uuid", token("nul")), 404, "not_found")),
                test(
                        "a forged page cursor",
                        () -> assertError(get("/api/jobs?cursor=AAAA", token("nul")), 400, "bad_request")),
                test(
                        "an unknown status filter",
                        () -> assertError(get("/api/jobs?status=%00", token("nul")), 400, "bad_request")));
    }

    @TestFactory
    @Order(7)
    Stream<DynamicTest> theWebSocketClosesWithTheRightCodeAndLogsOneLine() {
        String host = "127.0.0.1";
        return Stream.of(
                test("a null frame gets an error message", () -> {
                    try (WsClient ws = WsClient.connect(wsUrl("ws"))) {
                        ws.send("null");
                        assertEquals(
                                "error",
                                Json.read(ws.next(Duration.ofSeconds(10)), JsonNode.class)
                                        .get("type")
                                        .asText());
                    }
                }),
                test("a JSON list gets an error message", () -> {
                    try (WsClient ws = WsClient.connect(wsUrl("ws"))) {
                        ws.send("[1,2]");
                        assertEquals(
                                "error",
                                Json.read(ws.next(Duration.ofSeconds(10)), JsonNode.class)
                                        .get("type")
                                        .asText());
                    }
                }),
                test("a frame over 8 KiB is closed with 1009", () -> {
                    try (RawHttp raw = RawHttp.connect(gateway.url(""))) {
                        assertTrue(raw.upgrade("/ws/progress?ticket=" + stack.wsTicket(user("ws")), host)
                                .contains("101"));
                        raw.frame(
                                1,
                                ("{\"type\":\"subscribe\",\"jobId\":\"" + "x".repeat(9_000) + "\"}")
                                        .getBytes(StandardCharsets.UTF_8));
                        int code = raw.awaitCloseCode();
                        assertTrue(code == 1009 || code == -1, "close code " + code);
                    }
                }),
                test("text that is not UTF-8 is closed with 1007", () -> {
                    try (RawHttp raw = RawHttp.connect(gateway.url(""))) {
                        assertTrue(raw.upgrade("/ws/progress?ticket=" + stack.wsTicket(user("ws")), host)
                                .contains("101"));
                        raw.frame(1, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
                        assertEquals(1007, raw.awaitCloseCode());
                    }
                }),
                test("an upgrade without a ticket is refused", () -> {
                    try (RawHttp raw = RawHttp.connect(gateway.url(""))) {
                        assertTrue(raw.upgrade("/ws/progress", host).contains("401"));
                    }
                }),
                test("a ticket is good for one connection", () -> {
                    String ticket = stack.wsTicket(user("ws"));
                    try (RawHttp first = RawHttp.connect(gateway.url(""));
                            RawHttp second = RawHttp.connect(gateway.url(""))) {
                        assertTrue(first.upgrade("/ws/progress?ticket=" + ticket, host)
                                .contains("101"));
                        assertTrue(second.upgrade("/ws/progress?ticket=" + ticket, host)
                                .contains("401"));
                    }
                }),
                test("200 abrupt disconnects are not errors", () -> {
                    for (int i = 0; i < 200; i++) {
                        RawHttp raw = RawHttp.connect(gateway.url(""));
                        raw.upgrade("/ws/progress?ticket=" + stack.wsTicket(user("ws")), host);
                        raw.frame(1, "{\"type\":\"subscribe\",\"all\":true}".getBytes(StandardCharsets.UTF_8));
                        raw.abort();
                    }
                    await("gateway healthy")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> readiness(gateway), s -> s == 200);
                }));
    }

    // --- 9. Authentication hygiene

    @TestFactory
    @Order(8)
    Stream<DynamicTest> guessingIsSlowedAndTokensAreStrict() {
        String victim = user("victim");
        return Stream.of(
                test("20 wrong passwords in a row slow the next attempts down", () -> {
                    token("victim");
                    int refused = 0;
                    int slowed = 0;
                    for (int i = 0; i < 20; i++) {
                        Answer answer = post("/api/auth/token", null, credentials(victim, "wrong password " + i));
                        if (answer.status() == 429) {
                            assertError(answer, 429, "too_many_attempts");
                            assertNotNull(
                                    answer.headers().firstValue("Retry-After").orElse(null));
                            slowed++;
                        } else {
                            assertError(answer, 401, "unauthorized");
                            refused++;
                        }
                    }
                    System.out.printf("[hostile] 20 wrong passwords: %d refused, %d slowed down%n", refused, slowed);
                    assertTrue(slowed > 0, "no attempt was slowed down");
                    // right after a counted failure the account is blocked for at least a second: even the right
                    // password waits
                    Answer counted;
                    do {
                        counted = post("/api/auth/token", null, credentials(victim, "wrong again"));
                    } while (counted.status() == 429);
                    assertError(counted, 401, "unauthorized");
                    assertError(post("/api/auth/token", null, credentials(victim, PASSWORD)), 429, "too_many_attempts");
                }),
                test("only the whole password signs in, however long", () -> {
                    String name = user("longpass");
                    String longPassword = "p".repeat(100) + "-end";
                    assertEquals(201, register(name, longPassword).status());
                    assertError(post("/api/auth/token", null, credentials(name, "p".repeat(72))), 401, "unauthorized");
                    assertEquals(
                            200,
                            post("/api/auth/token", null, credentials(name, longPassword))
                                    .status());
                }),
                test(
                        "a token expired 10 s ago is refused",
                        () -> assertError(
                                get("/api/jobs", forge().expiredSecondsAgo(user("eve"), "distill-api", 10)),
                                401,
                                "unauthorized")),
                test("a WebSocket ticket expired 10 s ago is refused", () -> {
                    try (RawHttp raw = RawHttp.connect(gateway.url(""))) {
                        String stale = forge().expiredSecondsAgo(user("eve"), "distill-ws", 10);
                        assertTrue(raw.upgrade("/ws/progress?ticket=" + stale, "127.0.0.1")
                                .contains("401"));
                    }
                }),
                test("submissions past the rate limit get 429 with Retry-After", () -> {
                    int limited = 0;
                    for (int i = 0; i < BURST + 20; i++) {
                        Answer answer = submit("flooder", "flood " + i);
                        if (answer.status() == 429) {
                            assertError(answer, 429, "rate_limited");
                            assertTrue(Integer.parseInt(answer.headers()
                                            .firstValue("Retry-After")
                                            .orElse("0"))
                                    >= 1);
                            limited++;
                        } else {
                            accept(answer);
                        }
                    }
                    assertTrue(limited > 0, "nothing was rate limited");
                }),
                test("the page and the API carry security headers", () -> {
                    for (Answer answer : List.of(get("/", null), get("/api/jobs", null))) {
                        assertEquals(
                                "nosniff",
                                answer.headers()
                                        .firstValue("X-Content-Type-Options")
                                        .orElse(null));
                        assertEquals(
                                "DENY",
                                answer.headers().firstValue("X-Frame-Options").orElse(null));
                        assertTrue(answer.headers()
                                .firstValue("Content-Security-Policy")
                                .orElse("")
                                .contains("frame-ancestors 'none'"));
                    }
                }),
                test("management endpoints are not on the public port", () -> {
                    for (String path : List.of("/q/metrics", "/q/openapi", "/q/health")) {
                        assertEquals(404, get(path, null).status(), path);
                    }
                }));
    }

    // --- 10. The application role cannot become another user

    @TestFactory
    @Order(9)
    Stream<DynamicTest> theApplicationRoleSeesOnlyProvenTenants() {
        return Stream.of(
                test("setting distill.admin and another user id shows no rows", () -> {
                    accept(submit("victim-db", "private note"));
                    try (Connection app = appRole();
                            Statement sql = app.createStatement()) {
                        app.setAutoCommit(false);
                        sql.execute("select set_config('distill.admin', 'on', true), set_config('distill.user_id', '"
                                + user("victim-db") + "', true)");
                        assertEquals(0, count(sql, "select count(*) from extraction_jobs"));
                        sql.execute("select set_config('distill.tenant_proof', 'deadbeef', true)");
                        assertEquals(0, count(sql, "select count(*) from extraction_jobs"));
                        app.rollback();
                    }
                }),
                test("with the proof the key makes, the user's own rows are visible", () -> {
                    try (Connection app = appRole();
                            Statement sql = app.createStatement()) {
                        app.setAutoCommit(false);
                        String user = user("victim-db");
                        sql.execute("select set_config('distill.user_id', '" + user
                                + "', true), set_config('distill.tenant_proof', '"
                                + new Tenancy(LocalPostgres.TENANT_KEY).proof(user) + "', true)");
                        assertTrue(count(sql, "select count(*) from extraction_jobs") >= 1);
                        app.rollback();
                    }
                }),
                test("accounts, the outbox's messages, limits and the key are out of reach", () -> {
                    for (String table : List.of(
                            "local_users",
                            "auth_throttle",
                            "rate_buckets",
                            "processing_locks",
                            "tenant_key",
                            "job_state_transitions",
                            "job_state_history",
                            "ocr_cache",
                            "llm_rate_buckets")) {
                        assertEquals("42501", sqlState("select * from " + table + " limit 1"), table);
                    }
                    assertEquals("42501", sqlState("select payload from outbox limit 1"));
                    assertEquals("42501", sqlState("delete from outbox"));
                    assertEquals("42501", sqlState("update project_versions set definition = '{}'"));
                    assertEquals("42501", sqlState("delete from extraction_jobs"));
                }));
    }

    // --- 12. The offline extractor fills every built-in template

    @TestFactory
    @Order(10)
    Stream<DynamicTest> everyBuiltInTemplateCompletesOffline() {
        String message = """
                ACME Industrial AG Q3 2026 results: revenue up 12 percent

                ACME Industrial AG reported third-quarter revenue of EUR 48.2 million on 2026-10-29, ahead of expectations.
                The board confirmed the outlook and announced a buyback of up to USD 20 million.
                """;
        return Templates.NAMES.stream()
                .map(template -> test("template " + template, () -> {
                    UUID id = accept(post(
                            "/api/jobs",
                            token("templates"),
                            Json.write(Map.of(
                                    "text",
                                    message,
                                    "project",
                                    template,
                                    "metadata",
                                    Map.of("posted_at", "2026-10-29T07:00:00+01:00")))));
                    JsonNode job = awaitEnded(id, WAIT);
                    assertEquals("completed", job.get("status").asText(), job.toString());
                }));
    }

    @Test
    @Order(11)
    void signUpsFromOneAddressAreThrottled() {
        Answer last = null;
        for (int i = 0; i < REGISTRATIONS_PER_ADDRESS + 10 && (last == null || last.status() != 429); i++) {
            last = register(user("signup-" + i), PASSWORD);
        }
        assertNotNull(last);
        assertError(last, 429, "too_many_attempts");
    }

    @Test
    @Order(12)
    void afterallServicesAreHealthyNoStackTraceWasLoggedAndEveryJobEnded() throws Exception {
        for (ServiceProcess service : List.of(stack.api(), worker, gateway)) {
            assertEquals(200, readiness(service), service + " is not ready");
            String log = service.log().substring(LOG_START.get(service.url("")));
            List<String> traces = log.lines()
                    .filter(line -> line.matches("\\s+at [\\w.$]+\\(.*\\)"))
                    .limit(5)
                    .toList();
            assertTrue(traces.isEmpty(), service.url("") + " logged a stack trace:\n" + String.join("\n", traces));
        }
        for (UUID id : List.copyOf(ACCEPTED)) {
            await("job " + id + " ended")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> stack.count(
                                    "select count(*) from extraction_jobs where id = ?"
                                            + " and status in ('completed', 'failed', 'cancelled')",
                                    id),
                            n -> n == 1);
        }
        System.out.printf(
                "[hostile] %d accepted jobs all ended; %d requests reached the listener%n",
                ACCEPTED.size(), LISTENER_REQUESTS.get());
        assertEquals(0, LISTENER_REQUESTS.get());
    }

    // --- the client side

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            return Json.read(body, JsonNode.class);
        }
    }

    private static DynamicTest test(String name, Executable body) {
        return DynamicTest.dynamicTest(name, body);
    }

    private static void assertError(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.body());
        JsonNode error = answer.json();
        assertEquals(code, error.path("error").asText(), answer.body());
        assertFalse(error.path("reason").asText().isBlank(), "a reason: " + answer.body());
        assertFalse(
                answer.body().contains("\tat ") || answer.body().contains("Exception"),
                "no stack trace: " + answer.body());
    }

    /** Test users get a per-run name, so reruns against one database never collide. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private static String user(String name) {
        return name + "-" + RUN;
    }

    private static String token(String name) {
        return TOKENS.computeIfAbsent(name, n -> {
            register(user(n), PASSWORD);
            Answer answer = post("/api/auth/token", null, credentials(user(n), PASSWORD));
            assertEquals(200, answer.status(), answer.body());
            return answer.json().get("accessToken").asText();
        });
    }

    private static TokenForge forge() {
        return TokenForge.at(stack.keyDir().toString());
    }

    private static String credentials(String username, String password) {
        return Json.write(Map.of("username", username, "password", password));
    }

    private static Answer register(String username, String password) {
        return post("/api/auth/register", null, credentials(username, password));
    }

    private static Answer submit(String name, String text) {
        return post("/api/jobs", token(name), Json.write(Map.of("text", text)));
    }

    private static UUID accept(Answer answer) {
        assertEquals(202, answer.status(), answer.body());
        UUID id = UUID.fromString(answer.json().get("id").asText());
        ACCEPTED.add(id);
        return id;
    }

    private static void acceptAndEnd(String name, String text) {
        awaitEnded(accept(submit(name, text)), Duration.ofSeconds(60));
    }

    private static JsonNode awaitEnded(UUID id, Duration within) {
        return await("job " + id + " ended")
                .atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            String owner = stack.db
                                    .query("select user_id from extraction_jobs where id = ?", id)
                                    .get(0)
                                    .get("user_id")
                                    .toString();
                            String name = TOKENS.keySet().stream()
                                    .filter(n -> user(n).equals(owner))
                                    .findFirst()
                                    .orElseThrow();
                            return get("/api/jobs/" + id, token(name)).json();
                        },
                        job -> List.of("completed", "failed", "cancelled")
                                .contains(job.path("status").asText()));
    }

    private static String status(String name, UUID id) {
        return get("/api/jobs/" + id, token(name)).json().path("status").asText();
    }

    private static String schema(String properties, String extra) {
        return "{\"type\":\"object\",\"additionalProperties\":false," + extra + "\"required\":[\"a\"],\"properties\":"
                + properties + "}";
    }

    private static String definition(String schema, String extra) {
        return "{\"name\":\"p-" + UUID.randomUUID() + "\",\"definition\":{\"schema\":" + schema + "," + extra + "}}";
    }

    private static Answer createProject(String name, String body) {
        return post("/api/projects", token(name), body);
    }

    private static Answer post(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(stack.api().url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static Answer get(String path, String token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(stack.api().url(path)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static Answer upload(String name, String filename, byte[] content, Map<String, String> fields) {
        String boundary = "hostile-" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        fields.forEach((field, value) -> body.writeBytes(("--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(stack.api().url("/api/jobs/upload")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + token(name))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers());
        } catch (java.io.IOException e) {
            // the server may close a connection right after a 413 while the client still sends
            throw new AssertionError(
                    "no answer to " + request.method() + " " + request.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String wsUrl(String name) {
        return gateway.url("/ws/progress?ticket=" + stack.wsTicket(user(name))).replace("http", "ws");
    }

    private static int readiness(ServiceProcess service) {
        return service.readiness();
    }

    private static Connection appRole() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.APP_ROLE, LocalPostgres.APP_ROLE);
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The SQLSTATE the application role gets for {@code statement} (null when it succeeds). */
    private static String sqlState(String statement) throws SQLException {
        try (Connection app = appRole();
                Statement sql = app.createStatement()) {
            sql.execute(statement);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
