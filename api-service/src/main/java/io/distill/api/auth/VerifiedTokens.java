package io.distill.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens already verified. An API client sends the same token with every request; verifying its RSA signature
 * and parsing its claims was the largest single cost of a submission. Keyed by the whole token, so only the very same
 * bytes hit; an entry lives no longer than its token (nor than {@code distill.auth.verified-tokens.ttl}, which bounds
 * how long a token signed by a key since rotated out is still taken), and the cache holds at most
 * {@code max-entries} tokens. A token that fails verification is never kept; roles, tenancy and limits are still
 * checked per request.
 */
@ApplicationScoped
public class VerifiedTokens {
    /** Verifies a token or throws. */
    @FunctionalInterface
    public interface Verifier<E extends Exception> {
        JsonWebToken verify(String token) throws E;
    }

    private final Cache<String, JsonWebToken> verified;
    private final LongSupplier epochSeconds;

    @Inject
    public VerifiedTokens(AuthSettings settings) {
        this(
                settings.verifiedTokens().maxEntries(),
                settings.verifiedTokens().ttl(),
                Ticker.systemTicker(),
                () -> System.currentTimeMillis() / 1000);
    }

    /** @param ticker the cache's clock; {@code epochSeconds}, the clock the tokens' expiry is read against */
    VerifiedTokens(long maxEntries, Duration ttl, Ticker ticker, LongSupplier epochSeconds) {
        this.epochSeconds = epochSeconds;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .expireAfter(new UntilTokenExpires(ttl.toNanos()))
                .build();
    }

    public <E extends Exception> JsonWebToken get(String token, Verifier<E> verifier) throws E {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonWebToken fresh = verifier.verify(token);
        if (secondsLeft(fresh) > 0) {
            verified.put(token, fresh);
        }
        return fresh;
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private long secondsLeft(JsonWebToken token) {
        return token.getExpirationTime() - epochSeconds.getAsLong();
    }

    /** Expires an entry with its token, or after the ttl if that comes first. */
    private final class UntilTokenExpires implements Expiry<String, JsonWebToken> {
        private final long ttlNanos;

        UntilTokenExpires(long ttlNanos) {
            this.ttlNanos = ttlNanos;
        }

        @Override
        public long expireAfterCreate(String token, JsonWebToken jwt, long currentTime) {
            long left = TimeUnit.SECONDS.toNanos(Math.max(0, secondsLeft(jwt)));
            return Math.min(ttlNanos, left);
        }

        @Override
        public long expireAfterUpdate(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
