package io.distill.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Signs users in through the API's own local issuer (register, then token), as a browser would. */
public final class TestAuth {
    private static final String PASSWORD = "correct horse battery staple";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private TestAuth() {}

    public static String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> {
            int registered = given().contentType(ContentType.JSON)
                    .body(Map.of("username", u, "password", PASSWORD))
                    .post("/api/auth/register")
                    .statusCode();
            if (registered != 201 && registered != 409) {
                throw new AssertionError("registering " + u + " answered " + registered);
            }
            return signIn(u);
        });
    }

    /**
     * An admin, made the way an operator makes one: an ordinary account first, then the role granted
     * in the database (a name never carries a role).
     */
    public static String adminToken(String user) {
        return TOKENS.computeIfAbsent("admin:" + user, u -> {
            token(user);
            String jdbc = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("distill.test.jdbc-url", String.class);
            new io.distill.testinfra.Db(jdbc)
                    .update("update local_users set roles = array['user', 'admin'] where username = ?", user);
            return signIn(user);
        });
    }

    private static String signIn(String user) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", PASSWORD))
                .post("/api/auth/token")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("accessToken");
    }

    public static RequestSpecification asAdmin(String user) {
        return given().header("Authorization", "Bearer " + adminToken(user));
    }

    /** Submits a message as {@code user} (202 expected) and returns the new job's id. */
    public static String submit(String user, String text) {
        return submitted(as(user), Map.of("text", text));
    }

    /** Posts {@code body} as JSON to {@code /api/jobs} with {@code request} (202 expected); the new job's id. */
    public static String submitted(RequestSpecification request, Object body) {
        return request.contentType(ContentType.JSON)
                .body(body)
                .post("/api/jobs")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("id");
    }

    /** A request made as {@code user}. */
    public static RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + token(user));
    }
}
