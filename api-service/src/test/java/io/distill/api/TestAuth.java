package io.distill.api;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;

/** Signs users in through the API's own local issuer (register, then token), as a browser would. */
public final class TestAuth {
    private static final String PASSWORD = "correct horse battery staple";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private TestAuth() {
    }

    public static String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> {
            int registered = given().contentType(ContentType.JSON).body(Map.of("username", u, "password", PASSWORD))
                    .post("/api/auth/register").statusCode();
            if (registered != 201 && registered != 409) {
                throw new AssertionError("registering " + u + " answered " + registered);
            }
            return given().contentType(ContentType.JSON).body(Map.of("username", u, "password", PASSWORD))
                    .post("/api/auth/token").then().statusCode(200).extract().jsonPath().getString("accessToken");
        });
    }

    /** A request made as {@code user}. */
    public static RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + token(user));
    }
}
