package io.distill.worker.llm;

import java.math.BigDecimal;

/**
 * What one attempt cost: HTTP requests to the provider (every one, failed or not), tokens and
 * dollars. Filled in as calls are made, so a failed attempt is still accounted for.
 */
public final class LlmUsage {
    private final String userId;
    private int calls;
    private long promptTokens;
    private long completionTokens;
    private BigDecimal costUsd = BigDecimal.ZERO;

    public LlmUsage(String userId) {
        this.userId = userId;
    }

    /** Whose spend this is. */
    public String userId() {
        return userId;
    }

    public void addCalls(int n) {
        calls += n;
    }

    public void addTokens(long prompt, long completion, BigDecimal cost) {
        promptTokens += prompt;
        completionTokens += completion;
        costUsd = costUsd.add(cost);
    }

    public int calls() {
        return calls;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long completionTokens() {
        return completionTokens;
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public BigDecimal costUsd() {
        return costUsd;
    }
}
