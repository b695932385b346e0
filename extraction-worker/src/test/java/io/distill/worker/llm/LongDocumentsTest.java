package io.distill.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distill.model.Json;
import io.distill.worker.formats.DocumentModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cutting long documents, merging their parts' records, and finding quotes: pure functions, no model. */
class LongDocumentsTest {

    @Test
    void partsCoverTheTextExactlyAndBreakAtParagraphs() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("Paragraph ").append(i).append(" says something about pressure vessels and welds.\n\n");
        }
        List<Chunks.Chunk> parts = Chunks.split(text.toString(), 500);
        assertTrue(parts.size() > 4, "parts: " + parts.size());
        StringBuilder joined = new StringBuilder();
        for (Chunks.Chunk part : parts) {
            assertEquals(joined.length(), part.offset());
            assertTrue(part.text().length() <= 500);
            joined.append(part.text());
        }
        assertEquals(text.toString(), joined.toString());
        assertTrue(parts.get(0).text().endsWith("\n\n"), "cut at a paragraph break");
    }

    @Test
    void aTextWithoutBreaksIsCutHard() {
        List<Chunks.Chunk> parts = Chunks.split("x".repeat(1200), 500);
        assertEquals(
                List.of(500, 500, 200),
                parts.stream().map(p -> p.text().length()).toList());
    }

    @Test
    void mergingKeepsTheFirstValueAndConcatenatesListsWithoutRepeats() {
        ObjectNode first = (ObjectNode) Json.read("""
                {"title": "Report", "author": null, "tags": ["a", "b"], "block": {"scale": null, "sheet": "1"}}""", JsonNode.class);
        ObjectNode second = (ObjectNode) Json.read("""
                {"title": "Other title", "author": "QA", "tags": ["b", "c"], "block": {"scale": "1:50", "sheet": "2"}}""", JsonNode.class);
        JsonNode merged = RecordMerge.merge(List.of(first, second));
        assertEquals(Json.read("""
                {"title": "Report", "author": "QA", "tags": ["a", "b", "c"], "block": {"scale": "1:50", "sheet": "1"}}""", JsonNode.class), merged);
        assertEquals(merged, RecordMerge.merge(List.of(first, second)), "deterministic");
    }

    @Test
    void quotesAreFoundExactlyOrIgnoringCaseAndWhiteSpace() {
        String text = "Inspection report 2026-114\nVessel: PV-7\f\nWeld seam   W3\nshows minor porosity";
        int page2 = text.indexOf('\f') + 1;
        DocumentModel document = new DocumentModel(
                "pdf",
                text,
                List.of(
                        new DocumentModel.Section(1, "page", 0, page2),
                        new DocumentModel.Section(2, "page", page2, text.length())),
                Map.of());

        Evidence exact = Grounding.locate(document, "Vessel: PV-7").orElseThrow();
        assertEquals(1, exact.page());
        assertEquals("Vessel: PV-7", text.substring(exact.start(), exact.end()));

        Evidence loose =
                Grounding.locate(document, "weld seam W3 shows minor porosity").orElseThrow();
        assertEquals(2, loose.page());
        assertEquals("Weld seam   W3\nshows minor porosity", text.substring(loose.start(), loose.end()));

        assertTrue(Grounding.locate(document, "Pressure Vessel Works Ltd").isEmpty());
        assertTrue(Grounding.locate(document, "  ").isEmpty());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertEquals(20, ProviderCalls.parseRetryAfter("20").toSeconds());
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(61));
        long seconds = ProviderCalls.parseRetryAfter(inAMinute).toSeconds();
        assertTrue(seconds >= 55 && seconds <= 61, "seconds " + seconds);
        assertEquals(null, ProviderCalls.parseRetryAfter("soon"));
    }
}
