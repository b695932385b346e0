package io.distill.model.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distill.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {

    private static JsonNode json(String text) {
        return Json.read(text, JsonNode.class);
    }

    private static ObjectNode validReport() {
        return (ObjectNode) json("""
                {"broker": "Morgan Stanley", "company_canonical": "Siemens", "company_raw": "Siemens AG",
                 "report_type": "upgrade", "title": "Siemens upgraded to Overweight", "summary": "Upgrade on margins.",
                 "published_at": "2026-03-04T07:15:00Z", "confidence": 0.92,
                 "key_points": [
                   {"point_order": 1, "point_text": "Margins expand", "point_type": "thesis", "confidence": 0.9},
                   {"point_order": 2, "point_text": "Target raised to EUR 230", "point_type": "valuation", "confidence": 0.95}]}""");
    }

    @Test
    void everyBuiltInTemplateCompiles() {
        for (String name : Templates.NAMES) {
            RecordValidator.compile(Templates.get(name));
        }
    }

    @Test
    void aRecordThatMatchesSchemaAndRulesPasses() {
        RecordValidator validator = RecordValidator.compile(Templates.get("broker-report"));
        assertEquals(List.of(), validator.validate(validReport()));
    }

    @Test
    void schemaViolationsNameTheirLocation() {
        RecordValidator validator = RecordValidator.compile(Templates.get("broker-report"));
        ObjectNode record = validReport();
        record.remove("title");
        record.put("confidence", 1.7);
        record.put("report_type", "strong buy");
        List<String> checks = validator.validate(record).stream()
                .map(RecordValidator.Violation::check)
                .toList();
        assertTrue(checks.contains("schema:$"), checks.toString());
        assertTrue(checks.contains("schema:$.confidence"), checks.toString());
        assertTrue(checks.contains("schema:$.report_type"), checks.toString());
    }

    @Test
    void ruleViolationsNameTheRuleAndSayWhy() {
        RecordValidator validator = RecordValidator.compile(Templates.get("broker-report"));
        ObjectNode record = validReport();
        record.putNull("company_canonical");
        record.putNull("company_raw");
        ((ObjectNode) record.get("key_points").get(1)).put("point_order", 1);
        record.put("published_at", "last Tuesday");
        List<RecordValidator.Violation> violations = validator.validate(record);
        assertEquals(
                List.of("rule:company_named", "rule:points_numbered_1_to_n", "rule:published_at_is_timestamp"),
                violations.stream().map(RecordValidator.Violation::check).toList());
        assertEquals("no company named", violations.get(0).message());
        assertTrue(
                violations.get(2).message().startsWith("could not be evaluated"),
                violations.get(2).message());
    }

    @Test
    void aBrokenDefinitionIsRefusedWithEveryProblemNamed() {
        ProjectDefinition broken = new ProjectDefinition(
                null,
                null,
                (ObjectNode) json("""
                {"type": "object", "additionalProperties": false, "required": ["a"], "properties": {"a": {"type": "string"}}}"""),
                null,
                null,
                List.of(
                        new ProjectDefinition.Rule("r1", "record.a +", "x"),
                        new ProjectDefinition.Rule("r2", "size(record.a)", "not a boolean"),
                        new ProjectDefinition.Rule("r3", "java.lang.Runtime.exec('rm')", "no scripts")),
                List.of("b"));
        InvalidProjectException e = assertThrows(InvalidProjectException.class, () -> RecordValidator.compile(broken));
        assertEquals(4, e.problems().size(), e.problems().toString());
        assertTrue(
                e.problems().get(0).contains("dedupeKey field 'b'"),
                e.problems().toString());
    }
}
