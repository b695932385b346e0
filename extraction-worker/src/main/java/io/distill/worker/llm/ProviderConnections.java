package io.distill.worker.llm;

import io.quarkiverse.langchain4j.openai.common.OpenAiRestApi;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * Sizes the HTTP connection pool of the REST client quarkus-langchain4j builds for the OpenAI API
 * (50 by default, and not configurable for a model built in code) to the worker's jobs in flight:
 * every job that calls the model gets a connection, none waits in the pool's queue with its
 * timeout running. {@code distill.llm.connections} overrides it. Registered through
 * {@code META-INF/services} (MicroProfile REST Client calls each listener before it builds a client).
 */
public class ProviderConnections implements RestClientListener {
    static final String IN_FLIGHT = "smallrye.messaging.worker.pipeline.max-concurrency";

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (serviceInterface == OpenAiRestApi.class) {
            builder.property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, size(ConfigProvider.getConfig()));
        }
    }

    static int size(Config config) {
        return config.getOptionalValue("distill.llm.connections", Integer.class)
                .orElseGet(
                        () -> config.getOptionalValue(IN_FLIGHT, Integer.class).orElse(16));
    }
}
