package io.distill.worker.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** {@code distill.llm.*}: prices, budgets and how documents are cut and re-asked. */
@ConfigMapping(prefix = "distill.llm")
public interface LlmSettings {

    /** Model used when a project does not name one. */
    @WithDefault("gpt-4o-mini")
    String defaultModel();

    /** USD per million tokens, by model name (a dated snapshot name matches its prefix); {@code default} for the rest. */
    Map<String, Price> prices();

    /** What one user may spend on model calls per UTC day; further LLM work is refused until midnight. */
    @WithDefault("10.00")
    BigDecimal dailyBudgetUsd();

    /** Documents longer than this are extracted in parts, at paragraph boundaries, and the parts merged. */
    @WithDefault("24000")
    int chunkChars();

    /** How often a malformed or truncated answer is asked again within one attempt. */
    @WithDefault("1")
    int reprompts();

    /** The provider's request rate, shared by all workers (see {@link ProviderRateLimiter}). */
    RateLimit rateLimit();

    interface RateLimit {
        /** 0: no limiter. */
        @WithDefault("0")
        double requestsPerSecond();

        /** Requests that may go at once after a quiet spell. */
        @WithDefault("5")
        double burst();
    }

    interface Price {
        BigDecimal inputPerMillion();

        BigDecimal outputPerMillion();
    }

    /** The price of a model: exact name, else the longest configured prefix, else {@code default}. */
    default Optional<Price> priceOf(String model) {
        if (model != null) {
            if (prices().containsKey(model)) {
                return Optional.of(prices().get(model));
            }
            Optional<String> prefix = prices().keySet().stream().filter(model::startsWith)
                    .max(java.util.Comparator.comparingInt(String::length));
            if (prefix.isPresent()) {
                return Optional.of(prices().get(prefix.get()));
            }
        }
        return Optional.ofNullable(prices().get("default"));
    }
}
