package io.distill.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.distill.model.Json;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * An OpenAI-compatible server over real HTTP (WireMock): answers are recorded chat.completion
 * bodies, faults are scripted per job. Each job's requests carry its id in the {@code user}
 * field, so stubs and request counts are per job and tests do not see each other's traffic.
 */
public class OpenAiStub implements QuarkusTestResourceLifecycleManager {
    static final String PATH = "/v1/chat/completions";
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        return Map.of(
                "quarkus.langchain4j.openai.base-url",
                server.baseUrl() + "/v1/",
                "quarkus.langchain4j.openai.api-key",
                "sk-test-stub");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static WireMockServer server() {
        return server;
    }

    /** The requests this job made, as the server saw them. */
    static int requests(UUID job) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(PATH))
                        .withRequestBody(containing(job.toString()))
                        .build())
                .getCount();
    }

    static MappingBuilder forJob(UUID job) {
        return post(urlEqualTo(PATH)).withRequestBody(containing(job.toString()));
    }

    /** The job's requests get these answers one after the other; the last answers every request after it. */
    static void answersInTurn(UUID job, ResponseDefinitionBuilder... answers) {
        String scenario = "in-turn-" + job;
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder request = forJob(job)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answered-" + i)
                    .willReturn(answers[i]);
            server.stubFor(i + 1 < answers.length ? request.willSetStateTo("answered-" + (i + 1)) : request);
        }
    }

    /** A recorded answer (test resource {@code openai/<name>.answer.json}) as a chat.completion. */
    static ResponseDefinitionBuilder answer(String name) {
        return completion(resource("openai/" + name + ".answer.json"), "stop", null);
    }

    static ResponseDefinitionBuilder completion(String content, String finishReason, String refusal) {
        return completion(content, finishReason, refusal, 812, 236);
    }

    /** A chat.completion that reports the given token usage. */
    static ResponseDefinitionBuilder completion(
            String content, String finishReason, String refusal, int promptTokens, int completionTokens) {
        ObjectNode body = Json.mapper()
                .createObjectNode()
                .put(
                        "id",
                        "chatcmpl-"
                                + UUID.randomUUID().toString().replace("-", "").substring(0, 24))
                .put("object", "chat.completion")
                .put("created", 1_764_000_000L)
                .put("model", "gpt-4o-mini-2024-07-18")
                .put("system_fingerprint", "fp_0ba0d124f1");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", finishReason);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (refusal == null) {
            message.put("content", content).putNull("refusal");
        } else {
            message.putNull("content").put("refusal", refusal);
        }
        body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(Json.write(body));
    }

    static ResponseDefinitionBuilder error(int status, String type, String code, String message) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .put("code", code)
                .putNull("param");
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(Json.write(body));
    }

    static String resource(String name) {
        try (InputStream in = OpenAiStub.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON body of the job's first request. */
    static JsonNode firstRequest(UUID job) {
        return server.findAll(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing(job.toString()))).stream()
                .findFirst()
                .map(r -> Json.read(r.getBodyAsString(), JsonNode.class))
                .orElseThrow();
    }
}
