package io.distill.worker.llm;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Keeps all workers together under the provider's request rate, so that the provider's own limit
 * is not what paces the work (429s cost a round trip and a rescheduled job). A token bucket in one
 * PostgreSQL row: each call reserves the next slot in one statement and waits until it is due.
 * Off when {@code distill.llm.rate-limit.requests-per-second} is 0.
 */
@ApplicationScoped
public class ProviderRateLimiter {
    private static final String RESERVE = """
            insert into llm_rate_buckets (name, tokens, refreshed_at) values ($1, $2 - 1, clock_timestamp())
            on conflict (name) do update set
                tokens = least($2, llm_rate_buckets.tokens
                    + extract(epoch from clock_timestamp() - llm_rate_buckets.refreshed_at) * $3) - 1,
                refreshed_at = clock_timestamp()
            returning tokens""";

    private final Pool pool;
    private final double perSecond;
    private final double burst;

    public ProviderRateLimiter(Pool pool, LlmSettings settings) {
        this.pool = pool;
        this.perSecond = settings.rateLimit().requestsPerSecond();
        this.burst = Math.max(1, settings.rateLimit().burst());
    }

    /** Blocks until this worker may send one more request to the provider. */
    public void acquire(String provider) {
        if (perSecond <= 0) {
            return;
        }
        double tokens = pool.preparedQuery(RESERVE)
                .execute(Tuple.of(provider, burst, perSecond))
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next()
                .getDouble("tokens");
        if (tokens < 0) {
            try {
                Thread.sleep((long) Math.ceil(-tokens / perSecond * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
