package io.distill.e2e;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.Ports;
import io.distill.testinfra.ServiceProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker, production profile: with the LLM provider chosen but no API key it must not
 * start (no silent stub, no request with a placeholder key), and it must say which setting is missing.
 */
class ProviderStartupIT {

    @Test
    void aWorkerWithoutAnApiKeyRefusesToStartAndNamesTheSetting() throws Exception {
        java.util.List<Map<String, String>> endpoints =
                java.util.List.of(Map.of(), Map.of("quarkus.langchain4j.openai.base-url", "http://127.0.0.1:9/v1/"));
        for (int i = 0; i < endpoints.size(); i++) {
            Map<String, String> endpoint = endpoints.get(i);
            Map<String, String> props = new java.util.HashMap<>(endpoint);
            props.put("distill.extraction.provider", "openai");
            // nothing to connect to: the check must come before any dependency is needed
            props.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:9/none");
            props.put("kafka.bootstrap.servers", "127.0.0.1:9");
            ServiceProcess worker = ServiceProcess.start(
                    "extraction-worker", "worker-no-key-" + i + "-" + System.nanoTime(), Ports.free(), props);
            try {
                assertTrue(worker.awaitExit(Duration.ofSeconds(60)), "the worker kept running without an API key");
                String log = worker.log();
                assertNotEquals(0, worker.exitValue());
                assertTrue(log.contains("quarkus.langchain4j.openai.api-key"), worker.tail());
                assertTrue(!log.contains("Listening on"), "it served before failing:\n" + worker.tail());
            } finally {
                worker.close();
            }
        }
    }
}
