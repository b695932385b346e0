package io.distill.api.budget;

import io.smallrye.config.ConfigMapping;
import java.math.BigDecimal;
import java.time.Duration;

/** The API's side of the daily LLM budget ({@code distill.llm.*}; the worker reserves and settles against the same figure). */
@ConfigMapping(prefix = "distill.llm")
public interface BudgetSettings {
    /** USD a user's jobs may spend on the model per UTC day; 0 = no limit. */
    BigDecimal dailyBudgetUsd();

    /** How long a "within budget" answer is reused before the database is asked again. */
    Duration budgetVerdictTtl();
}
