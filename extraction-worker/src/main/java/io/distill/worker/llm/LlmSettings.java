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

    /**
     * Model name prefixes of reasoning models (OpenAI's o-series, gpt-5…): they take
     * {@code max_completion_tokens} and refuse {@code max_tokens} and a temperature.
     */
    @WithDefault("o1,o3,o4,gpt-5")
    java.util.List<String> reasoningModels();

    /**
     * What a paid extractor's job sets aside of the daily budget in its claim (LLM_EXTRACT tops it up
     * when the document needs more), so a typical job reserves and settles without a statement of its own.
     */
    @WithDefault("0.01")
    BigDecimal reserveAtClaimUsd();

    /** Estimated prompt tokens per character of text, for the token cap and the budget reserved before a call. */
    @WithDefault("0.5")
    double tokensPerChar();

    default boolean isReasoning(String model) {
        String name = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
        String base = name.substring(name.lastIndexOf('/') + 1);
        return reasoningModels().stream().anyMatch(base::startsWith);
    }

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

    /** What a call cost: its tokens at the model's price (zero for a model without one). */
    default BigDecimal cost(String model, long promptTokens, long completionTokens) {
        return priceOf(model)
                .map(price -> price.inputPerMillion()
                        .multiply(BigDecimal.valueOf(promptTokens))
                        .add(price.outputPerMillion().multiply(BigDecimal.valueOf(completionTokens)))
                        .divide(BigDecimal.valueOf(1_000_000), 6, java.math.RoundingMode.HALF_UP))
                .orElse(BigDecimal.ZERO);
    }

    /** The price of a model: exact name, else the longest configured prefix, else {@code default}. */
    default Optional<Price> priceOf(String model) {
        if (model != null) {
            if (prices().containsKey(model)) {
                return Optional.of(prices().get(model));
            }
            Optional<String> prefix = prices().keySet().stream()
                    .filter(model::startsWith)
                    .max(java.util.Comparator.comparingInt(String::length));
            if (prefix.isPresent()) {
                return Optional.of(prices().get(prefix.get()));
            }
        }
        return Optional.ofNullable(prices().get("default"));
    }
}
