package io.distill.api.ratelimit;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Submissions per user: one token bucket per user in PostgreSQL ({@code take_rate_tokens}), refilled
 * at {@code submissions-per-minute}, holding at most {@code burst}. So that a user's stream of
 * submissions does not queue on that row, each API replica takes tokens in blocks and spends them
 * locally; a block not spent within {@code block-ttl} is dropped. A user who finds the bucket empty
 * is refused (429, Retry-After) from memory until the bucket has a token again.
 *
 * <p>Worst case, whatever the number of replicas N: in any window of length W a user gets at most
 * {@code burst + rate × (W + block-ttl)} submissions — every token was granted by the one bucket,
 * and is spent at most {@code block-ttl} after it was granted. Blocks waste at most N × block-size
 * tokens per {@code block-ttl} (an undershoot, never an overshoot).
 */
@ApplicationScoped
public class SubmissionRateLimit {
    private static final String TAKE = "select granted, wait_ms from take_rate_tokens($1, $2, $3, $4)";

    private final Pool pool;
    private final int perMinute;
    private final double capacity;
    private final double perSecond;
    private final int blockSize;
    private final long blockTtlNanos;
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();

    public SubmissionRateLimit(
            @ReactiveDataSource("admin") Pool pool,
            @ConfigProperty(name = "distill.rate-limit.submissions-per-minute") int perMinute,
            @ConfigProperty(name = "distill.rate-limit.burst") int burst,
            @ConfigProperty(name = "distill.rate-limit.block-size") int blockSize,
            @ConfigProperty(name = "distill.rate-limit.block-ttl") Duration blockTtl) {
        this.pool = pool;
        this.perMinute = perMinute;
        this.capacity = Math.max(1, burst);
        this.perSecond = perMinute / 60.0;
        this.blockSize = Math.max(1, blockSize);
        this.blockTtlNanos = blockTtl.toNanos();
    }

    /** This replica's tokens for one user, and until when it knows the bucket to be empty. */
    private static final class Allowance {
        final String userId;
        int tokens;
        long tokensExpireAt;
        long refusedUntil;
        Uni<Void> refill;

        Allowance(String userId) {
            this.userId = userId;
        }

        boolean idle(long now) {
            return refill == null && now > tokensExpireAt && now > refusedUntil;
        }
    }

    /** Counts one submission; fails with {@link RateLimitedException} past the limit. */
    public Uni<Void> hit(String userId) {
        Allowance allowance = allowances.computeIfAbsent(userId, Allowance::new);
        Uni<Void> refill;
        synchronized (allowance) {
            if (spentFromMemory(allowance)) {
                return Uni.createFrom().voidItem();
            }
            if (allowance.refill == null) {
                // one reservation per user at a time; submissions arriving meanwhile wait for it
                allowance.refill = take(userId, allowance).memoize().indefinitely();
            }
            refill = allowance.refill;
        }
        // the refill is shared by the submissions that waited for it: each goes on in its own request's context
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<Void> waited =
                context == null ? refill : refill.emitOn(task -> context.runOnContext(ignored -> task.run()));
        return waited.chain(() -> hitAfterRefill(allowance));
    }

    private Uni<Void> hitAfterRefill(Allowance allowance) {
        synchronized (allowance) {
            if (spentFromMemory(allowance)) {
                return Uni.createFrom().voidItem();
            }
        }
        // the block ran out while this submission waited: ask again
        return Uni.createFrom().deferred(() -> hit(allowance.userId));
    }

    /**
     * Spends one of this replica's tokens (true), refuses while the bucket is known to be empty
     * ({@link RateLimitedException}), or says a refill is needed (false). Under the allowance's lock.
     */
    private boolean spentFromMemory(Allowance allowance) {
        long now = System.nanoTime();
        if (allowance.tokens > 0 && now < allowance.tokensExpireAt) {
            allowance.tokens--;
            return true;
        }
        if (now < allowance.refusedUntil) {
            throw refused(allowance.refusedUntil - now);
        }
        return false;
    }

    /** Forgets users this replica has nothing on (their state lives in the bucket row). */
    @io.quarkus.scheduler.Scheduled(every = "1m")
    void forgetIdle() {
        long now = System.nanoTime();
        allowances.values().removeIf(allowance -> {
            synchronized (allowance) {
                return allowance.idle(now);
            }
        });
    }

    private Uni<Void> take(String userId, Allowance allowance) {
        return pool.preparedQuery(TAKE)
                .execute(Tuple.of(userId, capacity, perSecond, blockSize))
                .onItemOrFailure()
                .transform((rows, failure) -> {
                    synchronized (allowance) {
                        allowance.refill = null;
                        if (failure != null) {
                            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                        }
                        Row row = rows.iterator().next();
                        long now = System.nanoTime();
                        int granted = row.getInteger("granted");
                        if (granted > 0) {
                            allowance.tokens = granted;
                            allowance.tokensExpireAt = now + blockTtlNanos;
                        } else {
                            allowance.refusedUntil = now
                                    + Duration.ofMillis(row.getLong("wait_ms")).toNanos();
                        }
                        return null;
                    }
                });
    }

    private RateLimitedException refused(long waitNanos) {
        int seconds = (int) Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return new RateLimitedException(perMinute, seconds);
    }
}
