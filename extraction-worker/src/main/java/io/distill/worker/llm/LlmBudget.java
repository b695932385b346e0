package io.distill.worker.llm;

import io.distill.model.ErrorClass;
import io.distill.model.projects.ProjectDefinition;
import io.distill.worker.pipeline.PipelineException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Each user's LLM spend per UTC day, shared by every worker through PostgreSQL, against the daily
 * budget. A job reserves what its calls may cost at most before the first call — a first part in
 * its claim, the rest (if its document needs more) before LLM_EXTRACT calls, each in one statement
 * that refuses when spent + reserved + this would pass the budget — and settles in the transaction
 * that ends its attempt: the reservation released, what was really spent added. So concurrent jobs cannot together spend
 * past the budget (a job's estimate is an upper bound unless its text has more than
 * {@code distill.llm.tokens-per-char} tokens per character). A worker that dies holds its
 * reservation until the day ends: the budget errs on the safe side.
 */
@ApplicationScoped
public class LlmBudget {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final String RESERVE = """
            insert into llm_spend as s (user_id, day, reserved_usd)
            select $1::text, $2::date, $3::numeric where $3::numeric <= $4::numeric
            on conflict (user_id, day) do update set reserved_usd = s.reserved_usd + excluded.reserved_usd
                where s.cost_usd + s.reserved_usd + excluded.reserved_usd <= $4::numeric
            returning s.cost_usd""";
    private static final String SPENT = "select cost_usd, reserved_usd from llm_spend where user_id = $1 and day = $2";
    private static final String SETTLE = """
            insert into llm_spend as s (user_id, day, cost_usd, tokens, calls) values ($1, $2, $4, $5, $6)
            on conflict (user_id, day) do update set reserved_usd = greatest(0, s.reserved_usd - $3::numeric),
                cost_usd = s.cost_usd + excluded.cost_usd, tokens = s.tokens + excluded.tokens, calls = s.calls + excluded.calls""";
    private static final String SPEND = """
            insert into llm_spend as s (user_id, day, cost_usd, tokens, calls) values ($1, (now() at time zone 'utc')::date, $2, $3, $4)
            on conflict (user_id, day) do update set cost_usd = s.cost_usd + excluded.cost_usd, tokens = s.tokens + excluded.tokens,
                calls = s.calls + excluded.calls""";

    /** What a job set aside, and on which UTC day (settled on the same day's row). */
    public record Reservation(String userId, LocalDate day, BigDecimal amount) {
        /** This reservation and a top-up of it, as one. */
        public Reservation plus(BigDecimal more) {
            return new Reservation(userId, day, amount.add(more));
        }
    }

    private final Pool pool;
    private final LlmSettings settings;

    public LlmBudget(Pool pool, LlmSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /** The most a job may cost: its prompts as estimated, and the longest answers, capped by the token cap, at the output price. */
    public BigDecimal estimate(ProjectDefinition project, int documentChars, int parts) {
        String model = project.model().name() != null ? project.model().name() : settings.defaultModel();
        long prompt = (long) Math.ceil((documentChars + 4_000L * parts) * settings.tokensPerChar());
        long answers = (long) Math.max(1, parts)
                * (settings.reprompts() + 1)
                * (project.model().maxTokens() == null ? 4_096 : project.model().maxTokens());
        long tokens = project.model().tokenCap() == null
                ? prompt + answers
                : Math.min(project.model().tokenCap(), prompt + answers);
        // priced as output tokens: the dearer kind, so the estimate stays an upper bound
        return settings.cost(model, 0, tokens);
    }

    /** Sets the amount aside, or fails the job (budget_error, not retried) when the budget cannot hold it. */
    public Reservation reserve(String userId, BigDecimal amount) {
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        boolean granted = pool.preparedQuery(RESERVE)
                        .execute(Tuple.of(userId, day, amount, settings.dailyBudgetUsd()))
                        .await()
                        .atMost(DB_TIMEOUT)
                        .rowCount()
                == 1;
        if (!granted) {
            var rows = pool.preparedQuery(SPENT)
                    .execute(Tuple.of(userId, day))
                    .await()
                    .atMost(DB_TIMEOUT)
                    .iterator();
            String spent =
                    rows.hasNext() ? rows.next().getBigDecimal("cost_usd").toPlainString() : "0";
            throw new PipelineException(
                    ErrorClass.BUDGET_ERROR,
                    "daily_budget: the daily LLM budget of $" + settings.dailyBudgetUsd()
                            + " cannot cover this job (about $" + amount.toPlainString() + "; $" + spent
                            + " spent today, the rest reserved"
                            + " by running jobs); LLM work resumes when they finish or at 00:00 UTC");
        }
        return new Reservation(userId, day, amount);
    }

    /**
     * Releases the reservation and records what the calls cost, inside the transaction that ends the
     * attempt. Nothing to do for an attempt that reserved nothing and called nothing.
     */
    public Uni<Void> settle(SqlConnection conn, Reservation reservation, LlmUsage usage) {
        boolean called = usage != null && usage.calls() > 0;
        if (reservation == null && !called) {
            return Uni.createFrom().voidItem();
        }
        BigDecimal cost = called ? usage.costUsd() : BigDecimal.ZERO;
        long tokens = called ? usage.totalTokens() : 0;
        int calls = called ? usage.calls() : 0;
        if (reservation == null) {
            return conn.preparedQuery(SPEND)
                    .execute(Tuple.of(usage.userId(), cost, tokens, calls))
                    .replaceWithVoid();
        }
        return conn.preparedQuery(SETTLE)
                .execute(Tuple.of(reservation.userId(), reservation.day(), reservation.amount(), cost, tokens, calls))
                .replaceWithVoid();
    }
}
