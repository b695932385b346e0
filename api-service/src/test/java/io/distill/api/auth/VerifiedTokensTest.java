package io.distill.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class VerifiedTokensTest {
    private final AtomicLong nanos = new AtomicLong();
    private final long epoch = 1_800_000_000L;
    private final Map<String, Integer> verifications = new HashMap<>();
    private final VerifiedTokens tokens = new VerifiedTokens(
            3, Duration.ofSeconds(60), nanos::get, () -> epoch + TimeUnit.NANOSECONDS.toSeconds(nanos.get()));

    private JsonWebToken verify(String token) throws ParseException {
        verifications.merge(token, 1, Integer::sum);
        if (token.startsWith("forged")) {
            throw new ParseException("signature does not verify");
        }
        JwtClaims claims = new JwtClaims();
        claims.setSubject(token);
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(epoch + Long.parseLong(token.split("-")[1])));
        return new DefaultJWTCallerPrincipal(claims);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void theSameTokenIsVerifiedOnce() throws ParseException {
        JsonWebToken first = tokens.get("alice-3600", this::verify);
        assertSame(first, tokens.get("alice-3600", this::verify));
        assertEquals(1, verifications.get("alice-3600"));
    }

    @Test
    void aTokenThatFailsIsVerifiedEveryTimeAndNeverKept() {
        assertThrows(ParseException.class, () -> tokens.get("forged-3600", this::verify));
        assertThrows(ParseException.class, () -> tokens.get("forged-3600", this::verify));
        assertEquals(2, verifications.get("forged-3600"));
        assertEquals(0, tokens.size());
    }

    @Test
    void anEntryEndsWithItsToken() throws ParseException {
        tokens.get("bob-30", this::verify);
        advance(Duration.ofSeconds(29));
        tokens.get("bob-30", this::verify);
        assertEquals(1, verifications.get("bob-30"));
        advance(Duration.ofSeconds(2));
        tokens.get("bob-30", this::verify);
        assertEquals(2, verifications.get("bob-30"), "an expired token goes back to the verifier (which refuses it)");
    }

    @Test
    void anEntryEndsAfterTheTtlEvenWhenItsTokenLivesOn() throws ParseException {
        tokens.get("carol-3600", this::verify);
        advance(Duration.ofSeconds(61));
        tokens.get("carol-3600", this::verify);
        assertEquals(2, verifications.get("carol-3600"));
    }

    @Test
    void anAlreadyExpiredTokenIsNotKept() throws ParseException {
        tokens.get("dave-0", this::verify);
        assertEquals(0, tokens.size());
    }

    @Test
    void theCacheIsBounded() throws ParseException {
        for (int i = 0; i < 100; i++) {
            tokens.get("user" + i + "-3600", this::verify);
        }
        assertEquals(3, tokens.size());
    }
}
