package io.distill.model;

import java.math.BigDecimal;

/**
 * The per-user daily LLM budget, one rule for the API (which refuses new jobs) and the workers
 * (which refuse queued LLM work): what the user spent on the current UTC day, and whether that
 * reaches the budget.
 */
public final class DailyLlmSpend {
    /** {@code $1} the user id; one row ({@code cost_usd}) or none. */
    public static final String SPENT_TODAY = """
            select cost_usd from llm_spend where user_id = $1 and day = (now() at time zone 'utc')::date""";

    private DailyLlmSpend() {}

    public static boolean exhausted(BigDecimal spent, BigDecimal budget) {
        return spent.compareTo(budget) >= 0;
    }
}
