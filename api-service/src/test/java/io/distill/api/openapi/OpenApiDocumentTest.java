package io.distill.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** docs/openapi.json is the API as it runs: the document the running service serves, field for field. */
@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class OpenApiDocumentTest {
    private static final Path COMMITTED = Path.of("../docs/openapi.json");

    /** OpenAPI is served on the management port only. */
    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @Test
    void theCommittedOpenApiDocumentMatchesTheRunningApi() throws Exception {
        String served = given().queryParam("format", "json")
                .get(openapi)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode servedTree = Json.read(served, JsonNode.class);
        Path fresh = Path.of("target/openapi.json");
        Files.writeString(fresh, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(servedTree) + "\n");
        assertTrue(
                Files.exists(COMMITTED),
                "docs/openapi.json is missing: cp api-service/target/openapi.json docs/openapi.json");
        assertEquals(
                Json.read(Files.readString(COMMITTED), JsonNode.class),
                servedTree,
                "docs/openapi.json is out of date: review and cp api-service/target/openapi.json docs/openapi.json");
        assertTrue(servedTree.at("/paths/~1api~1projects").has("post"), "projects are documented");
        assertTrue(servedTree.at("/paths/~1api~1jobs~1{id}").has("get"));
    }

    @Test
    void managementEndpointsAreNotOnThePublicPort() {
        for (String path : java.util.List.of("/q/openapi", "/q/metrics", "/q/health")) {
            given().get(path).then().statusCode(404);
        }
        given().get(openapi).then().statusCode(200);
    }
}
