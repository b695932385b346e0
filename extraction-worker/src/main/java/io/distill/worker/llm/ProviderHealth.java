package io.distill.worker.llm;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness says which extractor this worker runs and where its model lives (host only, never the
 * key). A worker whose provider is not configured never gets this far: it refuses to start.
 */
@Readiness
@ApplicationScoped
public class ProviderHealth implements HealthCheck {
    private final Extractor extractor;
    private final String provider;
    private final String baseUrl;

    public ProviderHealth(
            Extractor extractor,
            @ConfigProperty(name = "distill.extraction.provider") String provider,
            @ConfigProperty(name = "quarkus.langchain4j.openai.base-url", defaultValue = "https://api.openai.com/v1/")
                    String baseUrl) {
        this.extractor = extractor;
        this.provider = provider;
        this.baseUrl = baseUrl;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("llm-provider")
                .up()
                .withData("provider", provider)
                .withData("extractor", extractor.name());
        if (extractor.usesProvider()) {
            response.withData("endpoint", URI.create(baseUrl).getHost()).withData("apiKey", "configured");
        }
        return response.build();
    }
}
