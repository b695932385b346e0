package io.distill.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.distill.model.ErrorClass;
import io.distill.model.Json;
import io.distill.model.projects.ProjectDefinition;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.pipeline.PipelineException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * LLM_EXTRACT against any OpenAI-compatible endpoint through langchain4j's OpenAI model (on the
 * Quarkus REST client of quarkus-langchain4j-openai): structured output with the project's JSON
 * Schema, long documents in parts merged in order, a bounded re-prompt for malformed or truncated
 * answers, and every value grounded in a quote. The client's own retries are off: the job's retry
 * policy is the retry layer, and each HTTP request is a counted call. One exception: a request
 * whose connection was lost at once, before any answer, is sent once more (see {@link #chat}).
 */
public class OpenAiExtractor implements Extractor {
    public static final String NAME = "openai-compatible";
    private static final Logger LOG = Logger.getLogger(OpenAiExtractor.class);
    /** A connection found closed fails within a round trip; a reset seconds in may have been billed. */
    private static final Duration QUICK_FAILURE = Duration.ofSeconds(1);

    private static final double UNGROUNDED_FACTOR = 0.5;
    private static final double UNQUOTED_FACTOR = 0.75;

    private final ChatModel model;
    private final LlmSettings settings;
    private final ProviderRateLimiter rateLimiter;
    private final String provider;

    public OpenAiExtractor(ChatModel model, LlmSettings settings, ProviderRateLimiter rateLimiter, String provider) {
        this.model = model;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.provider = provider;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean usesProvider() {
        return true;
    }

    /** The parsed answer of one part and what its call reported. */
    private record Answer(ObjectNode record, List<JsonNode> evidence, String model, String responseId) {}

    @Override
    public Extraction extract(DocumentModel document, ExtractionRequest request) {
        ProjectDefinition project = request.project().definition();
        String modelName = modelFor(request, project);
        OpenAiChatRequestParameters.Builder shape = OpenAiChatRequestParameters.builder()
                .modelName(modelName)
                .responseFormat(ResponseFormat.builder()
                        .type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder()
                                .name("distill_record")
                                .rootElement(JsonRawSchema.from(Json.write(Prompts.answerSchema(project))))
                                .build())
                        .build());
        if (settings.isReasoning(modelName)) {
            // reasoning models refuse max_tokens and any temperature but the default
            shape.maxCompletionTokens(project.model().maxTokens());
        } else {
            shape.temperature(project.model().temperature())
                    .maxOutputTokens(project.model().maxTokens());
        }
        OpenAiChatRequestParameters parameters = shape.build();
        String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String system = Prompts.system(project, nonce);
        List<Chunks.Chunk> parts = Chunks.split(document.text(), settings.chunkChars());
        List<ObjectNode> records = new ArrayList<>();
        List<JsonNode> evidence = new ArrayList<>();
        Map<String, Object> telemetry = new LinkedHashMap<>();
        List<String> responseIds = new ArrayList<>();
        long t0 = System.nanoTime();
        String answeredBy = modelName;
        for (int i = 0; i < parts.size(); i++) {
            List<ChatMessage> messages = List.of(
                    SystemMessage.from(system),
                    UserMessage.from(Prompts.document(
                            parts.get(i).text(), request.job().metadata(), i + 1, parts.size(), nonce)));
            Answer answer = ask(messages, parameters, request, project);
            records.add(answer.record());
            evidence.addAll(answer.evidence());
            responseIds.add(answer.responseId());
            answeredBy = answer.model() == null ? answeredBy : answer.model();
        }
        ObjectNode record = RecordMerge.merge(records);
        Grounded grounded = ground(document, record, evidence);
        telemetry.put("model", answeredBy);
        telemetry.put("responseIds", responseIds);
        telemetry.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
        telemetry.put("parts", parts.size());
        telemetry.put("promptTokens", request.usage().promptTokens());
        telemetry.put("completionTokens", request.usage().completionTokens());
        telemetry.put("costUsd", request.usage().costUsd());
        telemetry.put("calls", request.usage().calls());
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = Json.mapper().convertValue(record, Map.class);
        return new Extraction(
                NAME, "llm", fields, grounded.evidence(), grounded.confidence(), grounded.summary(), telemetry);
    }

    /** The project's model, or the one the job chose among those the project allows. */
    private String modelFor(ExtractionRequest request, ProjectDefinition project) {
        String chosen = request.options().model();
        if (chosen == null) {
            return project.model().name() != null ? project.model().name() : settings.defaultModel();
        }
        if (!project.model().allows(chosen, settings.defaultModel())) {
            throw new PipelineException(
                    ErrorClass.VALIDATION_ERROR,
                    "option model: '" + chosen
                            + "' is not a model this project allows (model.name and model.allowed of its definition)");
        }
        return chosen;
    }

    /** One part: ask, and ask again (bounded) while the answer is not a usable JSON record. */
    private Answer ask(
            List<ChatMessage> messages,
            OpenAiChatRequestParameters parameters,
            ExtractionRequest request,
            ProjectDefinition project) {
        List<ChatMessage> conversation = new ArrayList<>(messages);
        for (int round = 0; ; round++) {
            ChatResponse response = call(conversation, parameters, request);
            String text = response.aiMessage().text();
            String problem = response.finishReason() == FinishReason.LENGTH
                    ? "truncated: the answer hit the token limit"
                    : problemWith(text);
            if (problem == null) {
                ObjectNode answer = (ObjectNode) Json.read(text, JsonNode.class);
                List<JsonNode> evidence = new ArrayList<>();
                Prompts.evidence(answer).forEach(evidence::add);
                return new Answer((ObjectNode) answer.get("record"), evidence, response.modelName(), response.id());
            }
            if (round >= settings.reprompts()) {
                throw PipelineException.permanent(
                        ErrorClass.VALIDATION_ERROR,
                        "malformed_json: " + problem + " (after " + (round + 1) + " answers)",
                        null);
            }
            conversation.add(AiMessage.from(text == null ? "" : text));
            conversation.add(UserMessage.from(Prompts.repair(problem)));
        }
        // unreachable: the loop returns or throws
    }

    /**
     * One request, and once more at once if the first lost its connection before any answer: a
     * pooled connection the provider had just closed, or a reset. As OpenAI's own SDKs do; otherwise
     * the job would wait out a retry's backoff and its place in the queue (~20 s behind a backlog in
     * the bench) for a fault of the socket. Only a quick failure with no answer read is sent again:
     * a reset while the model was writing, or an answer whose body came, may have been billed. Both
     * requests are counted.
     */
    private ChatResponse chat(
            List<ChatMessage> conversation,
            OpenAiChatRequestParameters parameters,
            String tag,
            ProviderCalls.Tally tally) {
        ChatRequest request = ChatRequest.builder()
                .messages(conversation)
                .parameters(OpenAiChatRequestParameters.builder()
                        .overrideWith(parameters)
                        .user(tag)
                        .build())
                .build();
        long sent = System.nanoTime();
        try {
            return model.chat(request);
        } catch (RuntimeException failure) {
            boolean quick = System.nanoTime() - sent < QUICK_FAILURE.toNanos();
            if (!quick || tally.answered() || !ProviderFaults.connectionLost(failure)) {
                throw failure;
            }
            LOG.warnf(
                    "provider connection lost before an answer, sending once more: %s",
                    ProviderFaults.describe(failure));
            rateLimiter.acquire(provider);
            if (Thread.currentThread().isInterrupted()) {
                throw failure; // the stage's deadline or a lost lease: no second request
            }
            return model.chat(request);
        }
    }

    private ChatResponse call(
            List<ChatMessage> conversation, OpenAiChatRequestParameters parameters, ExtractionRequest request) {
        checkTokenCap(conversation, request);
        String tag = "distill:" + request.job().id() + ":" + request.job().leaseVersion() + ":"
                + request.usage().calls();
        rateLimiter.acquire(provider);
        ProviderCalls.Tally tally = ProviderCalls.open(tag);
        ChatResponse response;
        try {
            response = chat(conversation, parameters, tag, tally);
        } catch (RuntimeException failure) {
            if (tally.usage() != null) {
                // answered, then thrown (a refusal): its tokens are billed all the same
                account(
                        parameters.modelName(),
                        tally.usage().promptTokens(),
                        tally.usage().completionTokens(),
                        request);
            }
            throw ProviderFaults.classify(failure, tally.retryAfter());
        } finally {
            request.usage().addCalls(Math.max(1, tally.requests()));
            ProviderCalls.close(tag);
        }
        TokenUsage tokens = response.tokenUsage();
        account(
                response.modelName(),
                tokens == null ? null : tokens.inputTokenCount(),
                tokens == null ? null : tokens.outputTokenCount(),
                request);
        Integer cap = request.project().definition().model().tokenCap();
        if (cap != null && request.usage().totalTokens() > cap) {
            throw new PipelineException(
                    ErrorClass.BUDGET_ERROR,
                    "token_cap: the job used " + request.usage().totalTokens() + " tokens, the project allows " + cap);
        }
        return response;
    }

    /** Refuses a call that could take the job past its token cap: the prompt as estimated, plus the longest answer. */
    private void checkTokenCap(List<ChatMessage> conversation, ExtractionRequest request) {
        Integer cap = request.project().definition().model().tokenCap();
        if (cap == null) {
            return;
        }
        long chars = conversation.stream()
                .mapToLong(m -> m instanceof UserMessage u
                        ? u.singleText().length()
                        : m instanceof SystemMessage sys
                                ? sys.text().length()
                                : m instanceof AiMessage ai && ai.text() != null
                                        ? ai.text().length()
                                        : 0)
                .sum();
        long estimate = request.usage().totalTokens()
                + (long) Math.ceil(chars * settings.tokensPerChar())
                + Optional.ofNullable(request.project().definition().model().maxTokens())
                        .orElse(0);
        if (estimate > cap) {
            throw PipelineException.permanent(
                    ErrorClass.BUDGET_ERROR,
                    "token_cap: the next call could take the job to about " + estimate + " tokens, the project allows "
                            + cap + " (no call made)",
                    null);
        }
    }

    private void account(String answeredBy, Integer in, Integer out, ExtractionRequest request) {
        long prompt = in == null ? 0 : in;
        long completion = out == null ? 0 : out;
        request.usage().addTokens(prompt, completion, settings.cost(answeredBy, prompt, completion));
    }

    /** Why an answer cannot be used, or null when it is a JSON object with a record object in it. */
    private static String problemWith(String text) {
        if (text == null || text.isBlank()) {
            return "empty answer";
        }
        JsonNode answer;
        try {
            answer = Json.read(text, JsonNode.class);
        } catch (IllegalArgumentException e) {
            return "not valid JSON (" + ProviderFaults.shorten(e.getMessage()) + ")";
        }
        return answer.isObject() && answer.path("record").isObject() ? null : "no \"record\" object in the answer";
    }

    private record Grounded(
            Map<String, List<Evidence>> evidence, Map<String, Double> confidence, Map<String, Object> summary) {}

    /**
     * Finds each quote in the document. A value whose quote is not found is flagged and its
     * confidence halved; a value given without any quote loses a quarter; the record's own
     * confidence field, if it has one, drops in proportion to the ungrounded values.
     */
    private static Grounded ground(DocumentModel document, ObjectNode record, List<JsonNode> quotes) {
        Map<String, List<Evidence>> evidence = new LinkedHashMap<>();
        List<Map<String, String>> ungrounded = new ArrayList<>();
        Set<String> ungroundedFields = new LinkedHashSet<>();
        for (JsonNode item : quotes) {
            String field = item.path("field").asText();
            String quote = item.path("quote").asText();
            var found = Grounding.locate(document, quote);
            if (found.isPresent()) {
                evidence.computeIfAbsent(field, f -> new ArrayList<>()).add(found.get());
            } else {
                ungrounded.add(Map.of("field", field, "quote", quote));
                ungroundedFields.add(topLevel(field));
            }
        }
        Set<String> quotedFields = new LinkedHashSet<>();
        evidence.keySet().forEach(f -> quotedFields.add(topLevel(f)));
        quotedFields.addAll(ungroundedFields);
        double base =
                record.path("confidence").isNumber() ? record.get("confidence").asDouble() : 1.0;
        Map<String, Double> confidence = new LinkedHashMap<>();
        List<String> unquoted = new ArrayList<>();
        record.properties().forEach(entry -> {
            String field = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull() || field.equals("confidence") || value.isArray() && value.isEmpty()) {
                return;
            }
            double factor = 1.0;
            if (ungroundedFields.contains(field)) {
                factor = UNGROUNDED_FACTOR;
            } else if (!quotedFields.contains(field)) {
                factor = UNQUOTED_FACTOR;
                unquoted.add(field);
            }
            confidence.put(field, round(base * factor));
        });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("quotes", quotes.size());
        summary.put("grounded", quotes.size() - ungrounded.size());
        summary.put("ungrounded", ungrounded);
        summary.put("unquoted", unquoted);
        if (record.path("confidence").isNumber() && !quotedFields.isEmpty()) {
            double adjusted = base * (1 - UNGROUNDED_FACTOR * ungroundedFields.size() / quotedFields.size());
            summary.put("modelConfidence", base);
            record.put("confidence", round(adjusted));
        }
        return new Grounded(evidence, confidence, summary);
    }

    private static String topLevel(String path) {
        int cut = path.length();
        for (char c : new char[] {'.', '['}) {
            int at = path.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return path.substring(0, cut);
    }

    private static double round(double value) {
        return new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }
}
