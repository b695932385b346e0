package io.distill.worker.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.model.projects.Templates;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.text.PlainTextExtractor;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.projects.Project;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The offline rules: a schema-valid record for every built-in template, in time linear in the text. */
@Timeout(60)
class OfflineExtractorTest {
    private static final OfflineExtractor RULES = new OfflineExtractor(Duration.ZERO, 0);
    private static final String MESSAGE = """
            ACME Industrial AG Q3 2026 results: revenue up 12 percent

            ACME Industrial AG reported third-quarter revenue of EUR 48.2 million on 2026-10-29, ahead of expectations.
            The board confirmed the outlook and announced a buyback of up to USD 20 million.
            """;

    private static DocumentModel document(String text) throws Exception {
        return new PlainTextExtractor()
                .extract(
                        Source.ofBytes(text.getBytes(StandardCharsets.UTF_8)),
                        io.distill.worker.formats.DefaultLimits.INSTANCE);
    }

    private static Extraction extract(String text, Project project, Map<String, Object> metadata) throws Exception {
        ClaimedJob job = new ClaimedJob(
                UUID.randomUUID(),
                "u",
                "message",
                text,
                null,
                null,
                "text",
                Map.of(),
                metadata,
                0,
                1,
                0,
                3,
                1,
                project.id(),
                project.version(),
                null,
                null,
                null);
        return RULES.extract(document(text), new ExtractionRequest(job, project, new LlmUsage("u")));
    }

    @Test
    void everyBuiltInTemplateGetsARecordItsSchemaAndRulesAccept() throws Exception {
        for (String template : Templates.NAMES) {
            Project project = Project.of(UUID.randomUUID(), 1, Templates.get(template));
            Extraction extraction = extract(MESSAGE, project, Map.of("posted_at", "2026-10-29T07:00:00+01:00"));
            JsonNode record = Json.mapper().valueToTree(extraction.fields());
            assertEquals(List.of(), project.validator().validate(record), template + ": " + record);
            assertEquals("offline-rules-v1", extraction.extractor());
        }
    }

    @Test
    void theCallersMetadataFillsWhatTheTextDoesNotSay() throws Exception {
        Project news = Project.of(UUID.randomUUID(), 1, Templates.get("news-event"));
        Extraction extraction = extract(
                "Storm closes the harbour\n\nNo ships today.", news, Map.of("posted_at", "2026-11-02T06:30:00Z"));
        assertEquals("2026-11-02T06:30:00Z", extraction.fields().get("event_time"));
        Project report = Project.of(UUID.randomUUID(), 1, Templates.get("broker-report"));
        Extraction named = extract(MESSAGE, report, Map.of("broker", "Morgan Stanley"));
        assertEquals("Morgan Stanley", named.fields().get("broker"));
        assertEquals("ACME Industrial AG", named.fields().get("company_raw"));
    }

    @Test
    void hostileTextIsReadInLinearTime() throws Exception {
        Project generic = Project.generic();
        for (String text :
                List.of("1".repeat(200_000), "word ".repeat(200_000), "EUR ".repeat(100_000), "a@".repeat(100_000))) {
            long t0 = System.nanoTime();
            extract(text, generic, Map.of());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 3_000, text.substring(0, 10) + "… took " + millis + " ms");
        }
    }
}
