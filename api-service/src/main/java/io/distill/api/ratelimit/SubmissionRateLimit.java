package io.distill.api.ratelimit;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Submissions per user per minute, counted in PostgreSQL so that the limit holds across every API
 * replica: one upsert per submission on a fixed one-minute window.
 */
@ApplicationScoped
public class SubmissionRateLimit {
    private static final String HIT = """
            insert into rate_limits (user_id, window_start, hits) values ($1, date_trunc('minute', now()), 1)
            on conflict (user_id, window_start) do update set hits = rate_limits.hits + 1
            returning hits, ceil(extract(epoch from (window_start + interval '1 minute' - now())))::int as retry_after""";

    private final Pool pool;
    private final int perMinute;

    public SubmissionRateLimit(Pool pool, @ConfigProperty(name = "distill.rate-limit.submissions-per-minute") int perMinute) {
        this.pool = pool;
        this.perMinute = perMinute;
    }

    /** Counts one submission; fails with {@link RateLimitedException} past the limit. */
    public Uni<Void> hit(String userId) {
        return pool.preparedQuery(HIT).execute(Tuple.of(userId)).map(rows -> {
            Row row = rows.iterator().next();
            if (row.getInteger("hits") > perMinute) {
                throw new RateLimitedException(perMinute, Math.max(1, row.getInteger("retry_after")));
            }
            return null;
        });
    }

    @Scheduled(every = "10m")
    Uni<Void> forgetOldWindows() {
        return pool.query("delete from rate_limits where window_start < now() - interval '10 minutes'").execute().replaceWithVoid();
    }
}
