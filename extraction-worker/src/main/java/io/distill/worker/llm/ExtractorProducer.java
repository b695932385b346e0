package io.distill.worker.llm;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Chooses the extractor from {@code distill.extraction.provider}. The property has no default, so
 * a worker with no provider configured does not start, and nothing falls back silently to a stub.
 */
@ApplicationScoped
public class ExtractorProducer {

    @Produces
    @ApplicationScoped
    @Startup
    Extractor extractor(@ConfigProperty(name = "distill.extraction.provider") String provider,
                        @ConfigProperty(name = "distill.extraction.offline.latency") Duration offlineLatency,
                        @ConfigProperty(name = "distill.extraction.offline.fail-first-attempts") int failFirstAttempts) {
        return switch (provider) {
            case "offline" -> new OfflineExtractor(offlineLatency, failFirstAttempts);
            default -> throw new IllegalStateException("distill.extraction.provider=" + provider
                    + " is not available in this build; supported: offline");
        };
    }
}
