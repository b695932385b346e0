package io.distill.api.projects;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.distill.api.TestAuth;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class ProjectResourceTest {

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    Db db;
    String user;

    @BeforeEach
    void fresh() {
        db = new Db(jdbcUrl);
        user = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theBuiltInTemplatesAreListed() {
        TestAuth.as(user)
                .get("/api/templates")
                .then()
                .statusCode(200)
                .body("keySet()", hasItems("generic", "news-event", "broker-report", "drawing"))
                .body("'broker-report'.dedupeKey", hasItems("broker", "company_canonical"))
                .body("'news-event'.schema.properties.event_action.enum", hasItems("create", "update", "ignore"));
    }

    @Test
    void aProjectFromATemplateIsVersionedAndPrivate() {
        String id = TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "research", "template", "broker-report"))
                .post("/api/projects")
                .then()
                .statusCode(201)
                .body("version", equalTo(1))
                .body("template", equalTo("broker-report"))
                .body("definition.record", equalTo("broker_report"))
                .extract()
                .path("id");

        Map<String, Object> definition = TestAuth.as(user)
                .get("/api/projects/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("definition");
        definition.put("description", "broker mails, v2");
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(definition)
                .put("/api/projects/" + id)
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("definition.description", equalTo("broker mails, v2"));
        TestAuth.as(user)
                .get("/api/projects/" + id + "?version=1")
                .then()
                .statusCode(200)
                .body("definition.description", containsString("Broker research"));
        TestAuth.as(user)
                .get("/api/projects")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].version", equalTo(2));

        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "research", "template", "drawing"))
                .post("/api/projects")
                .then()
                .statusCode(409);
        String other = user + "-other";
        TestAuth.as(other).get("/api/projects/" + id).then().statusCode(404);
        TestAuth.as(other)
                .contentType(ContentType.JSON)
                .body(definition)
                .put("/api/projects/" + id)
                .then()
                .statusCode(404);
        TestAuth.as(other).get("/api/projects").then().statusCode(200).body("$", hasSize(0));

        TestAuth.as(user).delete("/api/projects/" + id).then().statusCode(204);
        TestAuth.as(user).get("/api/projects/" + id).then().statusCode(404);
    }

    @Test
    void aBrokenDefinitionIsRefusedWithItsProblems() {
        Map<String, Object> definition = Map.of(
                "schema", Map.of("type", "object", "properties", Map.of("total", Map.of("type", "number"))),
                "rules", java.util.List.of(Map.of("name", "positive", "expression", "record.total >", "message", "x")),
                "dedupeKey", java.util.List.of("invoice_no"));
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "invoices", "definition", definition))
                .post("/api/projects")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_project"))
                .body("reason", containsString("dedupeKey field 'invoice_no' is not a property of the schema"))
                .body("reason", containsString("rule 'positive' does not compile"));
        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "nothing"))
                .post("/api/projects")
                .then()
                .statusCode(400)
                .body("reason", containsString("give a template"));
    }

    @Test
    void aJobNamingATemplateRunsWithTheUsersProjectOfThatTemplate() {
        String first = TestAuth.submitted(TestAuth.as(user), Map.of("text", "ECB cuts rates", "project", "news-event"));
        String second =
                TestAuth.submitted(TestAuth.as(user), Map.of("text", "ECB cuts again", "project", "news-event"));
        String projectId = TestAuth.as(user)
                .get("/api/jobs/" + first)
                .then()
                .statusCode(200)
                .body("projectId", notNullValue())
                .body("projectVersion", equalTo(1))
                .extract()
                .path("projectId");
        TestAuth.as(user).get("/api/jobs/" + second).then().body("projectId", equalTo(projectId));
        TestAuth.as(user).get("/api/projects").then().body("$", hasSize(1)).body("[0].name", equalTo("news-event"));

        TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "x", "project", "no-such-template"))
                .post("/api/jobs")
                .then()
                .statusCode(400)
                .body("reason", containsString("templates"));
        TestAuth.as(user + "-b")
                .contentType(ContentType.JSON)
                .body(Map.of("text", "x", "project", projectId))
                .post("/api/jobs")
                .then()
                .statusCode(404);
    }

    @Test
    void aSpentDailyBudgetRefusesNewJobsUntilMidnight() {
        db.update(
                "insert into llm_spend (user_id, day, cost_usd) values (?, (now() at time zone 'utc')::date, 10.00)",
                user);
        var response = TestAuth.as(user)
                .contentType(ContentType.JSON)
                .body(Map.of("text", "hello"))
                .post("/api/jobs")
                .then()
                .statusCode(429)
                .body("error", equalTo("budget_exhausted"))
                .body("reason", containsString("daily LLM budget of $10.00 is spent"))
                .extract();
        long retryAfter = Long.parseLong(response.header("Retry-After"));
        assertEquals(true, retryAfter > 0 && retryAfter <= 86_400, "Retry-After " + retryAfter);
    }
}
