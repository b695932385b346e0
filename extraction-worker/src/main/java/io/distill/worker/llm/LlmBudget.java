package io.distill.worker.llm;

import io.distill.model.ErrorClass;
import io.distill.worker.pipeline.PipelineException;
import io.distill.model.DailyLlmSpend;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;

/** Each user's LLM spend per UTC day, shared by every worker through PostgreSQL, and the daily budget. */
@ApplicationScoped
public class LlmBudget {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final String ADD = """
            insert into llm_spend (user_id, day, cost_usd, tokens, calls)
            values ($1, (now() at time zone 'utc')::date, $2, $3, $4)
            on conflict (user_id, day) do update set cost_usd = llm_spend.cost_usd + excluded.cost_usd,
                tokens = llm_spend.tokens + excluded.tokens, calls = llm_spend.calls + excluded.calls""";

    private final Pool pool;
    private final LlmSettings settings;

    public LlmBudget(Pool pool, LlmSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /** Refuses the job's LLM work (budget_error, not retried) when the user's budget for today is spent. */
    public void ensureAvailable(String userId) {
        RowIterator<Row> rows = pool.preparedQuery(DailyLlmSpend.SPENT_TODAY).execute(Tuple.of(userId)).await().atMost(DB_TIMEOUT).iterator();
        BigDecimal spent = rows.hasNext() ? rows.next().getBigDecimal("cost_usd") : BigDecimal.ZERO;
        if (DailyLlmSpend.exhausted(spent, settings.dailyBudgetUsd())) {
            throw new PipelineException(ErrorClass.BUDGET_ERROR, "daily_budget: the daily LLM budget of $"
                    + settings.dailyBudgetUsd() + " is spent ($" + spent + " today); LLM work resumes at 00:00 UTC");
        }
    }

    public void record(String userId, LlmUsage usage) {
        pool.preparedQuery(ADD).execute(Tuple.of(userId, usage.costUsd(), usage.totalTokens(), usage.calls()))
                .await().atMost(DB_TIMEOUT);
    }
}
