package io.distill.api.budget;

import io.distill.api.ratelimit.RateLimitedException;
import io.distill.api.tenancy.Tenants;
import io.distill.model.DailyLlmSpend;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses new work once the user's LLM spend for the UTC day (recorded by the workers) reaches
 * the budget: 429 {@code budget_exhausted} with Retry-After until midnight UTC. The verdict is kept
 * for {@code distill.llm.budget-verdict-ttl} per user, so a stream of submissions does not read the
 * spend row each time; the workers reserve and settle the actual spend, so a cached "not yet"
 * never lets a model call past the budget — it only admits a few more jobs that will be refused.
 */
@ApplicationScoped
public class DailyBudget {
    private record Verdict(BigDecimal spent, long validUntil) {}

    private final Tenants tenants;
    private final BigDecimal budgetUsd;
    private final long ttlNanos;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

    public DailyBudget(Tenants tenants, BudgetSettings settings) {
        this.tenants = tenants;
        this.budgetUsd = settings.dailyBudgetUsd();
        this.ttlNanos = settings.budgetVerdictTtl().toNanos();
    }

    public Uni<Void> check(String userId) {
        Verdict cached = verdicts.get(userId);
        if (cached != null && System.nanoTime() < cached.validUntil()) {
            return judge(cached.spent());
        }
        return tenants.transaction(
                        userId,
                        conn -> conn.preparedQuery(DailyLlmSpend.SPENT_TODAY).execute(Tuple.of(userId)))
                .chain(rows -> {
                    RowIterator<Row> found = rows.iterator();
                    BigDecimal spent = found.hasNext() ? found.next().getBigDecimal("cost_usd") : BigDecimal.ZERO;
                    if (verdicts.size() > 100_000) {
                        verdicts.clear(); // bounded memory: a verdict is only a shortcut
                    }
                    verdicts.put(userId, new Verdict(spent, System.nanoTime() + ttlNanos));
                    return judge(spent);
                });
    }

    private Uni<Void> judge(BigDecimal spent) {
        if (DailyLlmSpend.exhausted(spent, budgetUsd)) {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            long untilMidnight = Duration.between(
                            now, LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC))
                    .toSeconds();
            return Uni.createFrom()
                    .failure(new RateLimitedException(
                            "budget_exhausted",
                            "the daily LLM budget of $" + budgetUsd + " is spent ($" + spent
                                    + " today); new jobs are accepted again at 00:00 UTC",
                            (int) Math.max(1, untilMidnight)));
        }
        return Uni.createFrom().voidItem();
    }
}
