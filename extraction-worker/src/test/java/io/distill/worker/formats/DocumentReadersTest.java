package io.distill.worker.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.Fixtures;
import io.distill.worker.formats.ocr.Ocr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PDF permissions and scans, the Office family through Tika, images through OCR: one case per class of real-world input. */
@Timeout(60)
class DocumentReadersTest {
    private static final FormatRegistry FORMATS = FormatRegistry.standalone(new Ocr(null));
    private static final Path CORPUS = Path.of("src/test/resources/corpus");

    private static DocumentModel read(String format, byte[] content, ExtractionLimits limits) throws Exception {
        return FORMATS.forFormat(format).extract(Source.ofBytes(content), limits);
    }

    private static DocumentModel corpus(String format, String file) throws Exception {
        return FORMATS.forFormat(format).extract(Source.ofFile(CORPUS.resolve(file)), DefaultLimits.WITH_OCR);
    }

    @Test
    void aPdfThatOpensWithoutAPasswordIsReadWhateverItsPermissionFlags() throws Exception {
        DocumentModel document = read("pdf", Fixtures.noCopyPdf(), DefaultLimits.INSTANCE);
        assertTrue(document.text().contains("Hearing on 14 December 2026"), document.text());
        assertEquals(true, document.metadata().get("encrypted"));
        InvalidDocumentException locked = assertThrows(
                InvalidDocumentException.class, () -> read("pdf", Fixtures.encryptedPdf(), DefaultLimits.INSTANCE));
        assertTrue(locked.getMessage().contains("password"), locked.getMessage());
    }

    @Test
    void aJbig2ScanIsDecodedForOcr() throws Exception {
        // without a JBIG2 decoder PDFBox renders such a page blank, and OCR finds nothing on it
        try (var pdf = org.apache.pdfbox.Loader.loadPDF(
                CORPUS.resolve("pdf/jbig2_scan_image_only.pdf").toFile())) {
            var image = new org.apache.pdfbox.rendering.PDFRenderer(pdf)
                    .renderImageWithDPI(0, 72, org.apache.pdfbox.rendering.ImageType.GRAY);
            long dark = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    dark += (image.getRGB(x, y) & 0xFF) < 128 ? 1 : 0;
                }
            }
            assertTrue(
                    dark > image.getWidth() * image.getHeight() / 50,
                    "the JBIG2 image was decoded: " + dark + " dark pixels");
        }
        assertEquals(
                1, corpus("pdf", "pdf/jbig2_scan_image_only.pdf").metadata().get("ocrPages"));
    }

    @Test
    void filledInFormFieldsAreText() throws Exception {
        assertTrue(corpus("pdf", "pdf/xfa_form_govdocs1.pdf").text().contains("my_school"));
    }

    @Test
    void officeDocumentsHaveSectionsPerSlideAndSheet() throws Exception {
        DocumentModel slides = corpus("powerpoint", "office/pptx_various_tables_lists_notes.pptx");
        assertEquals("powerpoint", slides.format());
        assertTrue(
                slides.sections().stream().anyMatch(s -> s.kind().equals("slide")),
                slides.sections().toString());
        DocumentModel sheets = corpus("excel", "office/xlsx_excel_simple_sheets.xlsx");
        assertTrue(sheets.sections().size() >= 2, "a section per sheet: " + sheets.sections());
        for (String file : List.of(
                "office/docx_word2010_various_tables_lists_footnotes.docx",
                "office/doc_word97_various_tables_lists_footnotes.doc",
                "office/odt_libreoffice_odf13.odt",
                "office/rtf_word2010_czech_unicode_escapes.rtf",
                "office/epub_simple.epub")) {
            String format = file.endsWith(".odt")
                    ? "opendocument"
                    : file.endsWith(".rtf") ? "rtf" : file.endsWith(".epub") ? "epub" : "word";
            assertTrue(corpus(format, file).text().strip().length() > 20, file);
        }
    }

    @Test
    void anOfficeFileOverTheTextLimitStopsAtTheLimit() throws Exception {
        ExtractionLimits small = new ExtractionLimits() {
            public java.time.Duration timeout() {
                return DefaultLimits.INSTANCE.timeout();
            }

            public int maxTextChars() {
                return 100;
            }

            public long maxTextFileBytes() {
                return DefaultLimits.INSTANCE.maxTextFileBytes();
            }

            public int maxPdfPages() {
                return DefaultLimits.INSTANCE.maxPdfPages();
            }

            public long maxPdfStreamBytes() {
                return DefaultLimits.INSTANCE.maxPdfStreamBytes();
            }

            public int maxStepEntityBytes() {
                return DefaultLimits.INSTANCE.maxStepEntityBytes();
            }

            public int maxStepNesting() {
                return DefaultLimits.INSTANCE.maxStepNesting();
            }

            public int maxMimeParts() {
                return DefaultLimits.INSTANCE.maxMimeParts();
            }

            public int maxAttachments() {
                return DefaultLimits.INSTANCE.maxAttachments();
            }

            public long maxAttachmentBytes() {
                return DefaultLimits.INSTANCE.maxAttachmentBytes();
            }

            public int maxNestingDepth() {
                return DefaultLimits.INSTANCE.maxNestingDepth();
            }

            public long maxImagePixels() {
                return DefaultLimits.INSTANCE.maxImagePixels();
            }

            public boolean ocrEnabled() {
                return false;
            }

            public java.time.Duration ocrPageTimeout() {
                return DefaultLimits.INSTANCE.ocrPageTimeout();
            }
        };
        byte[] docx = Files.readAllBytes(CORPUS.resolve("office/docx_word2010_various_tables_lists_footnotes.docx"));
        assertThrows(LimitExceededException.class, () -> read("word", docx, small));
    }

    @Test
    void anImageClaimingBillionsOfPixelsFailsBeforeOcr() throws Exception {
        // a valid PNG header for a 100000 × 100000 image, and nothing behind it
        byte[] png = {
            (byte) 0x89,
            'P',
            'N',
            'G',
            '\r',
            '\n',
            0x1a,
            '\n',
            0,
            0,
            0,
            13,
            'I',
            'H',
            'D',
            'R',
            0,
            1,
            (byte) 0x86,
            (byte) 0xa0,
            0,
            1,
            (byte) 0x86,
            (byte) 0xa0,
            8,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0
        };
        LimitExceededException e =
                assertThrows(LimitExceededException.class, () -> read("image", png, DefaultLimits.WITH_OCR));
        assertTrue(e.getMessage().contains("pixels"), e.getMessage());
    }

    @Test
    void aScreenshotIsReadByOcr() throws Exception {
        DocumentModel image = corpus("image", "image/ocr_printed_text_screenshot.png");
        assertTrue(image.text().contains("This file contains some words"), image.text());
        assertEquals("png", image.metadata().get("imageFormat"));
    }
}
