package io.distill.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.deploy.Services.Service;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docker-compose.yml parses and refers to images, ports, settings, files and volumes that exist. */
class ComposeFileTest {

    @Test
    void theOneHostDeploymentMatchesTheServices() throws Exception {
        JsonNode compose = Yaml.documents(Files.readString(Services.ROOT.resolve("docker-compose.yml")))
                .get(0);
        JsonNode services = compose.path("services");
        assertEquals(Set.of("kafka", "kafka-topics", "postgres", "api", "worker", "gateway"), fieldNames(services));
        assertEquals(
                "apache/kafka:" + System.getProperty("distill.kafka-version"),
                services.at("/kafka/image").asText(),
                "the broker the tests run");
        assertEquals(
                "broker,controller",
                services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText(),
                "KRaft, no ZooKeeper");
        assertEquals(2, services.at("/worker/deploy/replicas").asInt(), "two workers share the partitions");

        Set<String> known = new HashSet<>();
        for (Service s : Service.values()) {
            s.settings().keySet().forEach(k -> known.add(Services.envName(k)));
        }
        for (Service service : Service.values()) {
            JsonNode definition = services.path(service.composeName);
            assertEquals(
                    service.image() + ":" + System.getProperty("distill.version"),
                    definition.path("image").asText(),
                    service.composeName);
            for (JsonNode port : definition.path("ports")) {
                assertEquals(
                        String.valueOf(service.httpPort()),
                        port.asText().substring(port.asText().lastIndexOf(':') + 1),
                        service.composeName);
            }
            definition
                    .path("environment")
                    .fieldNames()
                    .forEachRemaining(name -> assertTrue(
                            known.contains(name),
                            service.composeName + ": " + name + " is not a setting of any service"));
            for (String required : KubernetesManifestsTest.REQUIRED.get(service)) {
                assertTrue(
                        definition.at("/environment").has(Services.envName(required)),
                        service.composeName + " lacks " + Services.envName(required));
            }
        }

        Set<String> declaredVolumes = fieldNames(compose.path("volumes"));
        services.fields().forEachRemaining(service -> {
            for (JsonNode dependency : iterable(service.getValue().path("depends_on"))) {
                assertTrue(
                        services.has(dependency.asText()),
                        service.getKey() + " depends on missing " + dependency.asText());
            }
            service.getValue()
                    .path("depends_on")
                    .fieldNames()
                    .forEachRemaining(
                            name -> assertTrue(services.has(name), service.getKey() + " depends on missing " + name));
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(Services.ROOT.resolve(source)), source + " does not exist");
                } else {
                    assertTrue(declaredVolumes.contains(source), "undeclared volume " + source);
                }
            }
        });
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node.isArray() ? node : java.util.List.of();
    }
}
