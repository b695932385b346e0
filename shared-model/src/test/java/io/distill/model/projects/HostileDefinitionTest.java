package io.distill.model.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.distill.model.Json;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Project definitions as an attacker would write them: nothing in one is ever fetched, a
 * definition that could not run is refused when it is compiled (naming the problem), and rules and
 * patterns cost bounded time on any record.
 */
@Timeout(30)
class HostileDefinitionTest {
    static HttpServer listener;
    static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void startListener() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = "{\"type\":\"string\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
    }

    @AfterAll
    static void stopListener() {
        listener.stop(0);
    }

    private static String url() {
        return "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    private static ObjectNode schema(String properties, String extra) {
        return (ObjectNode) Json.read(
                "{\"type\":\"object\",\"additionalProperties\":false," + extra + "\"properties\":" + properties + "}",
                JsonNode.class);
    }

    /** A definition whose one property {@code a} is required, as strict output wants it. */
    private static ProjectDefinition withSchema(ObjectNode schema) {
        if (!schema.has("required")) {
            schema.putArray("required").add("a");
        }
        return new ProjectDefinition(null, null, schema, null, null, null, null);
    }

    private static List<String> problems(ProjectDefinition definition) {
        return assertThrows(InvalidProjectException.class, () -> RecordValidator.compile(definition))
                .problems();
    }

    private static void assertProblem(ProjectDefinition definition, String expected) {
        List<String> problems = problems(definition);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    @Test
    void referencesThatWouldFetchAnythingAreRefusedAndNothingIsFetched() {
        for (String ref : List.of(
                url() + "/x",
                "file:/etc/passwd",
                "classpath:logback.xml",
                "jar:" + url() + "/j.jar!/a",
                "urn:uuid:1234",
                "//127.0.0.1/x",
                "other.json#/a")) {
            assertProblem(withSchema(schema("{\"a\":{\"$ref\":\"" + ref + "\"}}", "")), "must be a local reference");
        }
        assertProblem(
                withSchema(schema("{\"a\":{\"type\":\"string\"}}", "\"$id\":\"" + url() + "/\",")),
                "$id is not allowed");
        assertProblem(
                withSchema(schema("{\"a\":{\"type\":\"string\"}}", "\"$schema\":\"" + url() + "/meta\",")),
                "$schema may only be");
        assertProblem(
                withSchema(schema("{\"a\":{\"$dynamicRef\":\"" + url() + "/d#x\"}}", "")),
                "$dynamicRef is not allowed");
        assertEquals(0, REQUESTS.get(), "a project definition made the validator fetch something");
    }

    @Test
    void referenceCyclesThatStayOnTheSameValueAreRefused() {
        assertProblem(withSchema(schema("{\"a\":{\"type\":\"string\"}}", "\"$ref\":\"#\",")), "$ref cycle");
        assertProblem(
                withSchema(schema(
                        "{\"a\":{\"type\":\"string\"}}",
                        "\"anyOf\":[{\"$ref\":\"#/$defs/b\"}],\"$defs\":{\"b\":{\"$ref\":\"#\"}},")),
                "$ref cycle");
        assertProblem(
                withSchema(schema(
                        "{\"a\":{\"$ref\":\"#/$defs/x\"}}",
                        "\"$defs\":{\"x\":{\"$ref\":\"#/$defs/y\"},\"y\":{\"$ref\":\"#/$defs/x\"}},")),
                "$ref cycle");
        assertProblem(
                withSchema(schema("{\"a\":{\"$ref\":\"#/$defs/missing\"}}", "")), "does not point at a subschema");
    }

    @Test
    void recursionThatDescendsIntoTheRecordIsAllowedAndValidatesDeepRecords() {
        ObjectNode tree = schema("{\"a\":{\"type\":[\"array\",\"null\"],\"items\":{\"$ref\":\"#\"}}}", "");
        RecordValidator validator = RecordValidator.compile(withSchema(tree));
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            deep.append("{\"a\":[");
        }
        deep.append("{\"a\":null}");
        deep.append("]}".repeat(100));
        assertEquals(List.of(), validator.validate(Json.read(deep.toString(), JsonNode.class)));
    }

    @Test
    void schemasTheMetaSchemaRefusesAreNamed() {
        assertProblem(withSchema(schema("{\"a\":{\"type\":\"strin\"}}", "")), "$.properties.a.type");
        assertProblem(withSchema(schema("{\"a\":{\"type\":\"string\",\"minLength\":-1}}", "")), "minimum value of 0");
        assertProblem(withSchema(schema("{\"a\":{\"type\":\"string\",\"pattern\":\"(a)\\\\1\"}}", "")), "pattern");
    }

    @Test
    void schemasStrictStructuredOutputWouldRefuseAreRefusedWithTheFix() {
        ObjectNode optional = schema("{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}}", "");
        assertProblem(withSchema(optional), "property 'b' (at #) is optional");
        ObjectNode open = (ObjectNode) Json.read(
                "{\"type\":\"object\",\"additionalProperties\":true,\"required\":[\"a\"],"
                        + "\"properties\":{\"a\":{\"type\":\"string\"}}}",
                JsonNode.class);
        assertProblem(withSchema(open), "needs \"additionalProperties\": false");
        assertProblem(
                withSchema(schema("{\"a\":{\"type\":\"string\",\"not\":{\"const\":\"x\"}}}", "")),
                "not (at #/properties/a)");
    }

    @Test
    void modelSettingsOutOfRangeAreRefused() {
        ObjectNode schema = schema("{\"a\":{\"type\":\"string\"}}", "\"required\":[\"a\"],");
        ProjectDefinition bad = new ProjectDefinition(
                null,
                null,
                schema,
                null,
                new ProjectDefinition.ModelSettings("gpt 4o; drop table", -100.0, -5, 1, List.of("ok", "bad model!")),
                null,
                null);
        List<String> problems = problems(bad);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("model.name")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("model.temperature")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("model.maxTokens")), problems.toString());
        assertTrue(
                problems.contains("model.allowed must be at most 20 model names such as gpt-4o-mini"),
                problems.toString());
    }

    @Test
    void aTypedRecordKindNeedsTheFieldsItsTableReads() {
        ObjectNode schema = schema("{\"a\":{\"type\":\"string\"}}", "\"required\":[\"a\"],");
        assertProblem(
                new ProjectDefinition(null, RecordKind.NEWS_EVENT, schema, null, null, null, null),
                "record news_event needs the schema property 'event_fingerprint'");
        assertProblem(
                new ProjectDefinition(null, RecordKind.BROKER_REPORT, schema, null, null, null, null),
                "record broker_report needs a dedupeKey");
        assertProblem(
                new ProjectDefinition(
                        null,
                        null,
                        (ObjectNode) Json.read("{\"type\":\"object\",\"properties\":{}}", JsonNode.class),
                        null,
                        null,
                        null,
                        null),
                "at least one property");
    }

    @Test
    void rulesRunUnderAnIterationBudgetAndDeepNestingIsRefused() {
        ObjectNode schema = schema("{\"a\":{\"type\":\"string\"}}", "\"required\":[\"a\"],");
        String ten = "[0,1,2,3,4,5,6,7,8,9]";
        String nested = ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, " + ten + ".all(e, "
                + ten + ".all(f, " + ten + ".all(g, true)))))))";
        RecordValidator validator = RecordValidator.compile(new ProjectDefinition(
                null, null, schema, null, null, List.of(new ProjectDefinition.Rule("costly", nested, "never")), null));
        long t0 = System.nanoTime();
        List<RecordValidator.Violation> violations = validator.validate(Json.read("{\"a\":\"x\"}", JsonNode.class));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).message().contains("Iteration budget exceeded"), violations.toString());
        assertTrue(millis < 2_000, "a rule of 10^7 iterations must be stopped by the budget, took " + millis + " ms");
        String deep = "(".repeat(60) + "true" + ")".repeat(60);
        assertProblem(
                new ProjectDefinition(
                        null, null, schema, null, null, List.of(new ProjectDefinition.Rule("deep", deep, "x")), null),
                "rule 'deep' does not compile");
    }

    @Test
    void userPatternsRunInLinearTime() {
        ObjectNode schema = schema("{\"a\":{\"type\":\"string\",\"pattern\":\"^(a+)+$\"}}", "\"required\":[\"a\"],");
        RecordValidator validator = RecordValidator.compile(withSchema(schema));
        long t0 = System.nanoTime();
        List<RecordValidator.Violation> violations =
                validator.validate(Json.read("{\"a\":\"" + "a".repeat(50_000) + "!\"}", JsonNode.class));
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(
                (System.nanoTime() - t0) / 1_000_000 < 2_000, "a catastrophic-backtracking pattern must not backtrack");
    }

    @Test
    void anOversizedDefinitionIsRefused() {
        ObjectNode schema = schema("{\"a\":{\"type\":\"string\"}}", "\"required\":[\"a\"],");
        String huge = "x".repeat(DefinitionRules.MAX_DEFINITION_BYTES);
        assertProblem(new ProjectDefinition(huge, null, schema, null, null, null, null), "bytes; at most");
    }

    @Test
    void everyBuiltInTemplatePassesTheSameChecks() {
        for (String name : Templates.NAMES) {
            RecordValidator.compile(Templates.get(name));
        }
    }
}
