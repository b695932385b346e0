package io.distill.worker.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.jobs.JobOptions;
import io.distill.testinfra.Fixtures;
import io.distill.worker.formats.ocr.Ocr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a caller's options change in what is read (issue 16); the pipeline's part is in FormatsTest. */
@Timeout(60)
class JobOptionsAppliedTest {
    private static final FormatRegistry FORMATS = FormatRegistry.standalone(new Ocr(null));

    private static DocumentModel read(
            String format, byte[] content, ExtractionLimits configured, Map<String, Object> options) throws Exception {
        return FORMATS.forFormat(format)
                .extract(Source.ofBytes(content), JobLimits.of(configured, JobOptions.parse(options)));
    }

    @Test
    void pagesSelectWhatIsRead() throws Exception {
        DocumentModel second = read("pdf", Fixtures.textPdf(), DefaultLimits.INSTANCE, Map.of("pages", "2"));
        assertTrue(second.text().contains("Weld seam W3"), second.text());
        assertFalse(second.text().contains("Inspection report 2026-114"), second.text());
        assertEquals(
                List.of(2),
                second.sections().stream().map(DocumentModel.Section::page).toList());
        assertEquals(1, second.metadata().get("pagesRead"));
        assertEquals(2, second.metadata().get("pages"));

        InvalidDocumentException none = assertThrows(
                InvalidDocumentException.class,
                () -> read("pdf", Fixtures.textPdf(), DefaultLimits.INSTANCE, Map.of("pages", "5-9")));
        assertEquals("option pages: the PDF has 2 pages, none of them selected", none.getMessage());
    }

    @Test
    void ocrOffLeavesAScanWithoutTextAndForceReadsEveryPageAsImage() throws Exception {
        DocumentModel off = read("pdf", Fixtures.scannedPdf(), DefaultLimits.WITH_OCR, Map.of("ocr", "off"));
        assertTrue(off.text().isBlank(), "no OCR, no text: " + off.text());
        assertEquals(0, off.metadata().get("ocrPages"));

        DocumentModel forced =
                read("pdf", Fixtures.textPdf(), DefaultLimits.WITH_OCR, Map.of("ocr", "force", "pages", "1"));
        assertEquals(1, forced.metadata().get("ocrPages"), "a page with a text layer OCRed because the caller asked");
        assertEquals("page-ocr", forced.sections().get(0).kind());
        assertTrue(forced.text().contains("Inspection"), forced.text());
    }

    @Test
    void anOcrLanguageWithoutItsPackFailsNamingTheInstalledOnes() {
        InvalidDocumentException e = assertThrows(
                InvalidDocumentException.class,
                () -> read("pdf", Fixtures.scannedPdf(), DefaultLimits.WITH_OCR, Map.of("ocrLanguage", "eng+xyz")));
        assertTrue(
                e.getMessage().startsWith("OCR language 'xyz' is not installed on this worker (installed: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("eng"), e.getMessage());
    }

    @Test
    void attachmentsFalseListsThemWithoutReadingThem() throws Exception {
        DocumentModel read = read("email", Fixtures.email(), DefaultLimits.INSTANCE, Map.of());
        DocumentModel listed = read("email", Fixtures.email(), DefaultLimits.INSTANCE, Map.of("attachments", false));
        assertTrue(read.text().contains("Attachment: acme-note.pdf"), read.text());
        assertFalse(listed.text().contains("Attachment: acme-note.pdf"), listed.text());
        @SuppressWarnings("unchecked")
        Map<String, Object> attachment =
                ((List<Map<String, Object>>) listed.metadata().get("attachments")).get(0);
        assertEquals("acme-note.pdf", attachment.get("filename"));
        assertEquals("not read (option attachments: false)", attachment.get("skipped"));
    }

    @Test
    void maxCharsCutsTheTextAndItsSectionsNeverHalfACharacter() {
        DocumentModel document = new DocumentModel(
                "text",
                "ab😀cd\n\nefgh",
                List.of(
                        new DocumentModel.Section(1, "paragraph", 0, 6),
                        new DocumentModel.Section(1, "paragraph", 8, 12)),
                Map.of());
        DocumentModel cut = document.cutAt(3);
        assertEquals("ab", cut.text(), "the emoji's high surrogate is not kept alone");
        assertEquals(List.of(new DocumentModel.Section(1, "paragraph", 0, 2)), cut.sections());
        assertEquals(Map.of("keptChars", 2, "totalChars", 12), cut.metadata().get("cut"));
        assertEquals(9, document.cutAt(9).text().length());
        assertEquals(2, document.cutAt(9).sections().size());
        assertEquals(document, document.cutAt(12));
    }
}
