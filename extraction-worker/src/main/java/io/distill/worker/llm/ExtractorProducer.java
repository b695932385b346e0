package io.distill.worker.llm;

import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the extractor from {@code distill.extraction.provider}. The property has no default, so
 * a worker with no provider configured does not start, and nothing falls back silently to a stub:
 * {@code openai} without an API key refuses to start too, naming the setting.
 */
@ApplicationScoped
public class ExtractorProducer {
    static final String API_KEY = "quarkus.langchain4j.openai.api-key";

    @Produces
    @ApplicationScoped
    @Startup
    Extractor extractor(
            @ConfigProperty(name = "distill.extraction.provider") String provider,
            @ConfigProperty(name = "distill.extraction.offline.latency") Duration offlineLatency,
            @ConfigProperty(name = "distill.extraction.offline.fail-first-attempts") int failFirstAttempts,
            @ConfigProperty(name = "quarkus.langchain4j.openai.base-url", defaultValue = "https://api.openai.com/v1/")
                    String baseUrl,
            @ConfigProperty(name = API_KEY) Optional<String> apiKey,
            @ConfigProperty(name = "quarkus.langchain4j.openai.timeout", defaultValue = "60s") Duration timeout,
            LlmSettings settings,
            ProviderRateLimiter rateLimiter) {
        return switch (provider) {
            case "offline" -> new OfflineExtractor(offlineLatency, failFirstAttempts);
            case "openai" ->
                new OpenAiExtractor(
                        openAi(baseUrl, apiKey, timeout),
                        settings,
                        rateLimiter,
                        URI.create(baseUrl).getHost());
            default ->
                throw new IllegalStateException("distill.extraction.provider=" + provider
                        + " is not supported; use openai (any OpenAI-compatible endpoint) or offline");
        };
    }

    private static OpenAiChatModel openAi(String baseUrl, Optional<String> apiKey, Duration timeout) {
        String key = apiKey.filter(k -> !k.isBlank() && !k.equals("dummy"))
                .orElseThrow(() -> new IllegalStateException("distill.extraction.provider=openai needs " + API_KEY
                        + " (environment QUARKUS_LANGCHAIN4J_OPENAI_API_KEY)"));
        // retries off: the job's retry policy is the one retry layer (it honours Retry-After and backs off)
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(key)
                .timeout(timeout)
                .maxRetries(0)
                .strictJsonSchema(true)
                .build();
    }
}
