package io.distill.api.jobs;

import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.testinfra.Await;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(InfraResource.class)
class JobResourceTest {
    private static final String USER = "X-Distill-User";

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Db db;
    String user;

    @BeforeEach
    void fresh() {
        db = new Db(jdbcUrl);
        user = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void submitIsAcceptedStoredAndEnqueuedOnKafka() {
        Response response = given().header(USER, user).contentType(ContentType.JSON)
                .body(Map.of("text", "Quarterly report from ACME", "metadata", Map.of("source", "mail")))
                .post("/api/jobs");
        response.then().statusCode(202)
                .body("status", equalTo("pending"))
                .header("Location", containsString("/api/jobs/"));
        String id = response.jsonPath().getString("id");
        assertTrue(response.header("Location").endsWith("/api/jobs/" + id));

        Map<String, Object> row = db.query("select user_id, status, source_kind, source_text, metadata::text as metadata, max_retries "
                + "from extraction_jobs where id = ?::uuid", id).get(0);
        assertEquals(user, row.get("user_id"));
        assertEquals("pending", row.get("status"));
        assertEquals("message", row.get("source_kind"));
        assertEquals("Quarterly report from ACME", row.get("source_text"));
        assertTrue(row.get("metadata").toString().contains("\"source\": \"mail\""), row.toString());
        assertEquals(3, row.get("max_retries"));

        var records = new KafkaProbe(bootstrap).read(Topics.JOBS, r -> id.equals(r.key()), got -> !got.isEmpty(), Duration.ofSeconds(20));
        assertEquals(1, records.size(), "the job reached the jobs topic once");
        JobMessage message = Json.read(records.get(0).value(), JobMessage.class);
        assertEquals(UUID.fromString(id), message.jobId());
        assertEquals(user, message.userId());
        Await.until(Duration.ofSeconds(10), "outbox drained", () -> db.count("select count(*) from outbox where message_key = ?", id), n -> n == 0);
    }

    @Test
    void malformedJsonIsRejectedWithReasonAndCreatesNoJob() {
        long before = jobCount();
        given().header(USER, user).contentType(ContentType.JSON).body("{\"text\": \"unterminated")
                .post("/api/jobs")
                .then().statusCode(400)
                .body("error", equalTo("malformed_json"))
                .body("reason", not(emptyOrNullString()));
        assertEquals(before, jobCount());
    }

    @Test
    void missingOrBlankTextIsRejectedWithReasonAndCreatesNoJob() {
        long before = jobCount();
        given().header(USER, user).contentType(ContentType.JSON).body("{\"metadata\": {\"a\": 1}}")
                .post("/api/jobs")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("reason", containsString("text is required"));
        given().header(USER, user).contentType(ContentType.JSON).body("{\"text\": \"   \"}")
                .post("/api/jobs")
                .then().statusCode(400).body("reason", containsString("text"));
        given().header(USER, user).contentType(ContentType.JSON).body("")
                .post("/api/jobs")
                .then().statusCode(400);
        given().header(USER, user).contentType(ContentType.JSON).body("{\"text\": \"ok\", \"maxRetries\": 99}")
                .post("/api/jobs")
                .then().statusCode(400).body("reason", containsString("maxRetries"));
        assertEquals(before, jobCount());
    }

    @Test
    void oversizedBodyIsRejected() {
        String huge = "x".repeat(3 * 1024 * 1024);
        given().header(USER, user).contentType(ContentType.JSON).body("{\"text\": \"" + huge + "\"}")
                .post("/api/jobs")
                .then().statusCode(413);
    }

    @Test
    void callsWithoutUserAreUnauthorized() {
        given().contentType(ContentType.JSON).body(Map.of("text", "hello")).post("/api/jobs").then().statusCode(401);
        given().get("/api/jobs").then().statusCode(401);
    }

    @Test
    void usersSeeOnlyTheirOwnJobs() {
        String id = submit(user, "mine");
        given().header(USER, user).get("/api/jobs/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("pending")).body("sourceKind", equalTo("message"));
        given().header(USER, "someone-else").get("/api/jobs/" + id).then().statusCode(404)
                .body("error", equalTo("not_found"));
        given().header(USER, "someone-else").get("/api/jobs").then().statusCode(200)
                .body("items.id", not(org.hamcrest.Matchers.hasItem(id)));
        given().header(USER, user).get("/api/jobs/not-a-uuid").then().statusCode(404);
    }

    @Test
    void listIsNewestFirstAndPagesWithACursor() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(submit(user, "message " + i));
        }
        Collections.reverse(submitted);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header(USER, user).queryParam("limit", 2);
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

        given().header(USER, user).queryParam("status", "pending").get("/api/jobs").then().statusCode(200)
                .body("items.size()", equalTo(5));
        given().header(USER, user).queryParam("status", "completed").get("/api/jobs").then().statusCode(200)
                .body("items.size()", equalTo(0));
        given().header(USER, user).queryParam("status", "bogus").get("/api/jobs").then().statusCode(400)
                .body("reason", containsString("status must be one of"));
        given().header(USER, user).queryParam("limit", 0).get("/api/jobs").then().statusCode(400);
        given().header(USER, user).queryParam("cursor", "garbage!").get("/api/jobs").then().statusCode(400);
    }

    @Test
    void clientConfigTellsWhereTheProgressSocketIs() {
        String url = given().get("/api/client-config").then().statusCode(200).extract().jsonPath().getString("progressSocketUrl");
        assertTrue(url.startsWith("ws"), url);
        assertNull(given().get("/api/client-config").then().extract().jsonPath().get("secret"));
    }

    private String submit(String user, String text) {
        return given().header(USER, user).contentType(ContentType.JSON).body(Map.of("text", text))
                .post("/api/jobs").then().statusCode(202).extract().jsonPath().getString("id");
    }

    private long jobCount() {
        return db.count("select count(*) from extraction_jobs");
    }
}
