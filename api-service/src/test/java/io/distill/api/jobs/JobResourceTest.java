package io.distill.api.jobs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.api.TestAuth;
import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.distill.testinfra.TokenForge;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class JobResourceTest {
    @TestHTTPResource("/api/jobs")
    URI jobsUrl;

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "distill.test.key-dir")
    String keyDir;

    Db db;
    String user;

    @BeforeEach
    void fresh() {
        db = new Db(jdbcUrl);
        user = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void submitIsAcceptedStoredAndEnqueuedOnKafka() {
        Response response = TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "Quarterly report from ACME", "metadata", Map.of("source", "mail")))
                .post("/api/jobs");
        response.then()
                .statusCode(202)
                .body("status", equalTo("pending"))
                .header("Location", containsString("/api/jobs/"));
        String id = response.jsonPath().getString("id");
        assertTrue(response.header("Location").endsWith("/api/jobs/" + id));

        Map<String, Object> row = db.query(
                        "select user_id, status, source_kind, source_text, metadata::text as metadata, max_retries "
                                + "from extraction_jobs where id = ?::uuid",
                        id)
                .get(0);
        assertEquals(user, row.get("user_id"));
        assertEquals("pending", row.get("status"));
        assertEquals("message", row.get("source_kind"));
        assertEquals("Quarterly report from ACME", row.get("source_text"));
        assertTrue(row.get("metadata").toString().contains("\"source\": \"mail\""), row.toString());
        assertEquals(3, row.get("max_retries"));

        var records = new KafkaProbe(bootstrap)
                .read(Topics.JOBS, r -> id.equals(r.key()), got -> !got.isEmpty(), Duration.ofSeconds(20));
        assertEquals(1, records.size(), "the job reached the jobs topic once");
        JobMessage message = Json.read(records.get(0).value(), JobMessage.class);
        assertEquals(UUID.fromString(id), message.jobId());
        assertEquals(user, message.userId());
        await("outbox drained")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> db.count("select count(*) from outbox where message_key = ?", id), n -> n == 0);
    }

    @Test
    void optionsAreCheckedStoredNormalisedAndShown() {
        long before = jobCount();
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "x", "options", Map.of("maxChars", "ten")))
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_options"))
                .body("reason", equalTo("option 'maxChars' must be a whole number from 1 to 50000000"));
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "x", "options", Map.of("pages", "3-1")))
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("reason", equalTo("option 'pages': range 3-1 ends before it starts"));
        assertEquals(before, jobCount());
        String id = TestAuth.submitted(
                TestAuth.as(user),
                Map.of("text", "x", "options", Map.of("pages", " 1-2,5", "attachments", false, "ocr", "auto")));
        TestAuth.as(user)
                .get("/api/jobs/" + id)
                .then()
                .statusCode(200)
                .body("options", equalTo(Map.of("pages", "1-2,5", "attachments", false)));
    }

    @Test
    void aClientThatOffersHttp2IsServed() throws Exception {
        // java.net.http asks for an h2c upgrade by default, as the demo and many SDKs do
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(jobsUrl)
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + TestAuth.token(user))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"over an upgraded connection\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
    }

    @Test
    void malformedJsonIsRejectedWithReasonAndCreatesNoJob() {
        long before = jobCount();
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("{\"text\": \"unterminated")
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("error", equalTo("malformed_json"))
                .body("reason", not(emptyOrNullString()));
        assertEquals(before, jobCount());
    }

    @Test
    void missingOrBlankTextIsRejectedWithReasonAndCreatesNoJob() {
        long before = jobCount();
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("{\"metadata\": {\"a\": 1}}")
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("text is required"));
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("{\"text\": \"   \"}")
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("reason", containsString("text"));
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("")
                .post("/api/jobs")
                .then()
                .statusCode(400);
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("{\"text\": \"ok\", \"maxRetries\": 99}")
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("reason", containsString("maxRetries"));
        assertEquals(before, jobCount());
    }

    @Test
    void oversizedBodyIsRejected() {
        String huge = "x".repeat(3 * 1024 * 1024);
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body("{\"text\": \"" + huge + "\"}")
                .post("/api/jobs")
                .then()
                .statusCode(413);
    }

    @Test
    void callsWithoutAValidTokenAreUnauthorized() {
        long before = jobCount();
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "hello"))
                .post("/api/jobs")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("unauthorized"));
        given().get("/api/jobs").then().statusCode(401);

        TokenForge forge = TokenForge.at(keyDir);
        Map<String, String> hostile = Map.of(
                "expired", forge.expired(user, "distill-api"),
                "wrong issuer", forge.wrongIssuer(user, "distill-api"),
                "bad signature", forge.badSignature(user, "distill-api"),
                "alg=none", forge.unsigned(user, "distill-api"),
                "WebSocket ticket used as an API token", forge.valid(user, "distill-ws", List.of("user")),
                "garbage", "not.a.token");
        hostile.forEach((kind, token) -> {
            int status = given().header("Authorization", "Bearer " + token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("text", "hello"))
                    .post("/api/jobs")
                    .statusCode();
            assertEquals(401, status, kind + " token must be refused");
            assertEquals(
                    401,
                    given().header("Authorization", "Bearer " + token)
                            .get("/api/jobs")
                            .statusCode(),
                    kind);
        });
        assertEquals(before, jobCount(), "no job was created by a refused call");

        given().header("Authorization", "Bearer " + forge.valid(user, "distill-api", List.of("user")))
                .get("/api/jobs")
                .then()
                .statusCode(200);
    }

    @Test
    void signInWithAWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        TestAuth.token(user);
        String wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", "not the password at all"))
                .post("/api/auth/token")
                .then()
                .statusCode(401)
                .extract()
                .jsonPath()
                .getString("reason");
        String noSuchUser = given().contentType(ContentType.JSON)
                .body(Map.of("username", "nobody-" + user, "password", "not the password at all"))
                .post("/api/auth/token")
                .then()
                .statusCode(401)
                .extract()
                .jsonPath()
                .getString("reason");
        assertEquals(wrongPassword, noSuchUser);
        given().contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", "short"))
                .post("/api/auth/register")
                .then()
                .statusCode(400)
                .body("reason", containsString("password must be 10 to 200 characters"));
    }

    @Test
    void submissionsOverTheLimitAreRefusedWithRetryAfter() {
        String flooder = "flooder-" + UUID.randomUUID();
        // other API replicas already took this user's tokens: the bucket is shared through PostgreSQL
        db.update("insert into rate_buckets (user_id, tokens, refreshed_at) values (?, -50, now())", flooder);
        given().header("Authorization", "Bearer " + TestAuth.token(flooder))
                .contentType(ContentType.JSON)
                .body(Map.of("text", "one too many"))
                .post("/api/jobs")
                .then()
                .statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]?"))
                .body("error", equalTo("rate_limited"));
        assertEquals(0, db.count("select count(*) from extraction_jobs where user_id = ?", flooder));
    }

    @Test
    void theApplicationRoleSeesNoRowsWithoutAUser() throws Exception {
        TestAuth.submit(user, "hidden from the anonymous");
        String appUrl = jdbcUrl;
        try (var conn = java.sql.DriverManager.getConnection(appUrl, "distill_api", "distill_api");
                var rs = conn.createStatement().executeQuery("select count(*) from extraction_jobs")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "row-level security hides every job from a query that names no user");
        }
        try (var conn = java.sql.DriverManager.getConnection(appUrl, "distill_api", "distill_api")) {
            conn.setAutoCommit(false);
            conn.createStatement()
                    .execute("select set_config('distill.user_id', '" + user
                            + "', true), set_config('distill.tenant_proof', '"
                            + new io.distill.model.Tenancy(io.distill.testinfra.LocalPostgres.TENANT_KEY).proof(user)
                            + "', true)");
            var rs = conn.createStatement()
                    .executeQuery(
                            "select count(*), count(*) filter (where user_id <> '" + user + "') from extraction_jobs");
            rs.next();
            assertEquals(1, rs.getLong(1), "the named user's own job is visible");
            assertEquals(0, rs.getLong(2), "and nobody else's");
            conn.rollback();
        }
    }

    @Test
    void usersSeeOnlyTheirOwnJobs() {
        String id = TestAuth.submit(user, "mine");
        TestAuth.as(user)
                .get("/api/jobs/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("pending"))
                .body("sourceKind", equalTo("message"));
        TestAuth.as("someone-else")
                .get("/api/jobs/" + id)
                .then()
                .statusCode(404)
                .body("error", equalTo("not_found"));
        TestAuth.as("someone-else")
                .get("/api/jobs")
                .then()
                .statusCode(200)
                .body("items.id", not(org.hamcrest.Matchers.hasItem(id)));
        TestAuth.as(user).get("/api/jobs/not-a-uuid").then().statusCode(404);
    }

    @Test
    void aJobStaysReadableAfterAMigrationAddsAColumn() {
        // statements stay prepared: a read of * would fail with "cached plan must not change result type"
        String id = TestAuth.submit(user, "read before and after a new column");
        for (int read = 0; read < 25; read++) {
            TestAuth.as(user).get("/api/jobs/" + id).then().statusCode(200);
        }
        db.update("alter table extraction_jobs add column added_by_a_later_release text");
        try {
            for (int read = 0; read < 25; read++) {
                TestAuth.as(user)
                        .get("/api/jobs/" + id)
                        .then()
                        .statusCode(200)
                        .body("id", equalTo(id))
                        .body("status", equalTo("pending"));
            }
        } finally {
            db.update("alter table extraction_jobs drop column added_by_a_later_release");
        }
    }

    @Test
    void listIsNewestFirstAndPagesWithACursor() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(TestAuth.submit(user, "message " + i));
        }
        Collections.reverse(submitted);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = TestAuth.as(user).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/jobs").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.id");
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(submitted, seen);
        assertEquals(3, pages);

        TestAuth.as(user)
                .queryParam("status", "pending")
                .get("/api/jobs")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(5));
        TestAuth.as(user)
                .queryParam("status", "completed")
                .get("/api/jobs")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        TestAuth.as(user)
                .queryParam("status", "bogus")
                .get("/api/jobs")
                .then()
                .statusCode(400)
                .body("reason", containsString("status must be one of"));
        TestAuth.as(user).queryParam("limit", 0).get("/api/jobs").then().statusCode(400);
        TestAuth.as(user)
                .queryParam("cursor", "garbage!")
                .get("/api/jobs")
                .then()
                .statusCode(400);
    }

    @Test
    void clientConfigTellsWhereTheProgressSocketIs() {
        String url = given().get("/api/client-config")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("progressSocketUrl");
        assertTrue(url.startsWith("ws"), url);
        assertNull(given().get("/api/client-config").then().extract().jsonPath().get("secret"));
    }

    private long jobCount() {
        return db.count("select count(*) from extraction_jobs");
    }
}
