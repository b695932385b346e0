package io.distill.api.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.InfraResource;
import io.distill.testinfra.TokenForge;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The verified-token cache sits in the real request path, and a token's forged twin never rides on its entry. */
@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class VerifiedTokensInRequestsTest {
    @Inject
    VerifiedTokens verified;

    @ConfigProperty(name = "distill.auth.key-dir")
    String keyDir;

    @Test
    void aCachedTokenServesOnlyItsOwnBytes() {
        TokenForge forge = TokenForge.at(keyDir);
        String token = forge.valid("token-cache-user", "distill-api", List.of("user"));
        long before = verified.size();
        assertEquals(200, status(token));
        assertTrue(verified.size() > before, "the token was verified through the cache");

        String[] parts = token.split("\\.");
        String otherSignature = parts[0] + "." + parts[1] + "." + flipped(parts[2]);
        assertEquals(401, status(otherSignature), "the same claims with another signature");
        String otherClaims = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(401, status(otherClaims), "other claims under the cached token's signature");
        assertEquals(401, status(forge.badSignature("token-cache-user", "distill-api")), "signed by a stranger");
        assertEquals(200, status(token), "the cached token still works");
    }

    private static int status(String token) {
        return given().header("Authorization", "Bearer " + token)
                .get("/api/jobs")
                .statusCode();
    }

    private static String flipped(String signature) {
        char first = signature.charAt(0);
        return (first == 'A' ? 'B' : 'A') + signature.substring(1);
    }
}
