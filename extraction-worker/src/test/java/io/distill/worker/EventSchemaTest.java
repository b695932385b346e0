package io.distill.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The event schemas that docs/asyncapi.yaml publishes hold for what the worker really sends: every
 * progress event of a job that completes and of one that fails, read raw from Kafka.
 */
@Tag("infra")
@QuarkusTest
@WithTestResource(
        value = InfraResource.class,
        initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
class EventSchemaTest {

    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static JsonSchema schema(String name) throws Exception {
        try (InputStream in = EventSchemaTest.class.getResourceAsStream("/distill/events/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    @Test
    void everyProgressEventTheWorkerPublishesMatchesItsSchema() throws Exception {
        WorkerTests t = new WorkerTests(jdbcUrl, bootstrap);
        UUID completes = t.insertPendingJob("Quarterly note 2026-01-15: revenue EUR 1,200.", 0);
        UUID fails = t.insertPendingJob("   ", 0);
        t.enqueue(completes);
        t.enqueue(fails);
        t.awaitStatus(completes, "completed");
        t.awaitStatus(fails, "failed");

        Set<String> keys = Set.of(completes.toString(), fails.toString());
        List<ConsumerRecord<String, String>> records = t.kafka.read(
                Topics.JOB_EVENTS,
                r -> keys.contains(r.key()),
                got -> got.stream()
                                .filter(r -> r.value().contains("\"completed\"")
                                        || r.value().contains("\"failed\""))
                                .count()
                        >= 2,
                WorkerTests.WAIT);
        JsonSchema progress = schema("progress-event.v1.schema.json");
        for (ConsumerRecord<String, String> record : records) {
            Set<ValidationMessage> problems = progress.validate(Json.read(record.value(), JsonNode.class));
            assertEquals(Set.of(), problems, record.value());
        }
        assertTrue(
                records.stream().anyMatch(r -> r.value().contains("\"errorCode\":\"validation_error\"")),
                records.toString());
        assertTrue(records.size() >= 8, "events: " + records.size());

        JsonSchema jobMessage = schema("job-message.v1.schema.json");
        assertEquals(
                Set.of(),
                jobMessage.validate(Json.mapper().valueToTree(io.distill.model.JobMessage.of(completes, "u1"))));
    }
}
