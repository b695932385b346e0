package io.distill.api.budget;

import io.distill.api.ratelimit.RateLimitedException;
import io.distill.api.tenancy.Tenant;
import io.smallrye.mutiny.Uni;
import io.distill.model.DailyLlmSpend;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Refuses new work once the user's LLM spend for the UTC day (recorded by the workers) reaches
 * the budget: 429 {@code budget_exhausted} with Retry-After until midnight UTC. The same setting,
 * {@code distill.llm.daily-budget-usd}, stops jobs already queued in the worker.
 */
@ApplicationScoped
public class DailyBudget {

    private final Pool pool;
    private final BigDecimal budgetUsd;

    public DailyBudget(Pool pool, @ConfigProperty(name = "distill.llm.daily-budget-usd") BigDecimal budgetUsd) {
        this.pool = pool;
        this.budgetUsd = budgetUsd;
    }

    public Uni<Void> check(String userId) {
        return Tenant.user(userId).transaction(pool, conn -> conn.preparedQuery(DailyLlmSpend.SPENT_TODAY).execute(Tuple.of(userId))).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            BigDecimal spent = found.hasNext() ? found.next().getBigDecimal("cost_usd") : BigDecimal.ZERO;
            if (DailyLlmSpend.exhausted(spent, budgetUsd)) {
                ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                long untilMidnight = Duration.between(now, LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
                throw new RateLimitedException("budget_exhausted", "the daily LLM budget of $" + budgetUsd
                        + " is spent ($" + spent + " today); new jobs are accepted again at 00:00 UTC", (int) Math.max(1, untilMidnight));
            }
            return null;
        });
    }
}
