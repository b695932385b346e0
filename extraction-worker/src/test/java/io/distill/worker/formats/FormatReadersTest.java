package io.distill.worker.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.Fixtures;
import io.distill.worker.formats.dxf.DxfExtractor;
import io.distill.worker.formats.html.HtmlExtractor;
import io.distill.worker.formats.ifc.IfcExtractor;
import io.distill.worker.formats.ocr.Ocr;
import io.distill.worker.formats.step.StepExtractor;
import io.distill.worker.formats.text.PlainTextExtractor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The format readers on their own, in milliseconds: no Kafka, no PostgreSQL, no pipeline. */
@Timeout(30)
class FormatReadersTest {
    static DocumentModel read(FormatExtractor extractor, byte[] content) throws Exception {
        return extractor.extract(Source.ofBytes(content), DefaultLimits.INSTANCE);
    }

    @Test
    void dxfTitleBlockUnitsLayersTextAndDimensions() throws Exception {
        DocumentModel document = read(new DxfExtractor(), Fixtures.dxf());
        Map<String, Object> meta = document.metadata();
        assertEquals(
                Map.of(
                        "drawingNumber",
                        "DWG-1042",
                        "title",
                        "Pump housing",
                        "revision",
                        "C",
                        "scale",
                        "1:10",
                        "material",
                        "EN-GJL-250"),
                meta.get("titleBlock"));
        assertEquals("millimeters", meta.get("units"));
        assertEquals("AC1027", meta.get("version"));
        assertTrue(((List<?>) meta.get("layers")).contains("TITLEBLOCK"), meta.toString());
        assertEquals(List.of("250.0"), meta.get("dimensions"));
        assertTrue(
                document.text().contains("GENERAL ARRANGEMENT")
                        && document.text().contains("All dimensions in mm"),
                document.text());
    }

    @Test
    void ifcHierarchyElementsAndPropertySets() throws Exception {
        DocumentModel document = read(new IfcExtractor(), Fixtures.ifc());
        Map<String, Object> meta = document.metadata();
        assertEquals("Office Tower", meta.get("project"));
        assertEquals(List.of("Block A"), meta.get("buildings"));
        assertEquals(Map.of("IFCWALLSTANDARDCASE", 2, "IFCWALL", 1, "IFCDOOR", 1), meta.get("elementCounts"));
        assertTrue(document.text().contains("Buildingstorey: Level 1 (elevation 3500)"), document.text());
    }

    @Test
    void stepProductsUnitsAndHeader() throws Exception {
        Map<String, Object> meta = read(new StepExtractor(), Fixtures.step()).metadata();
        assertEquals(List.of("Bracket BRK-100"), meta.get("products"));
        assertEquals(Map.of("length", "millimetre", "plane_angle", "radian"), meta.get("units"));
        assertEquals(List.of("Precision Parts AG"), meta.get("organization"));
    }

    @Test
    void emailAndHtmlAndText() throws Exception {
        DocumentModel mail = read(FormatRegistry.standalone(new Ocr(null)).forFormat("email"), Fixtures.email());
        assertEquals("ACME upgrade to Buy, target EUR 62", mail.metadata().get("subject"));
        assertTrue(mail.text().contains("Margins recover in H2"), mail.text());
        DocumentModel html = read(new HtmlExtractor(), Fixtures.html());
        assertTrue(
                html.text().contains("Concrete pour for slab L2 completed.")
                        && !html.text().contains("alert"),
                html.text());
        DocumentModel text = read(
                new PlainTextExtractor(), "First paragraph.\n\n\nSecond paragraph.".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, text.sections().size());
    }

    @Test
    void controlCharactersNeverReachTheText() throws Exception {
        DocumentModel text = read(
                new PlainTextExtractor(),
                "keep\ttabs\nand lines\u0000 but not NUL\u0007 or BEL".getBytes(StandardCharsets.UTF_8));
        assertEquals("keep\ttabs\nand lines but not NUL or BEL", text.text());
    }

    @Test
    void brokenFilesAreRefusedWithTheirReason() {
        byte[] step = Fixtures.step();
        assertTrue(assertThrows(
                        InvalidDocumentException.class,
                        () -> read(new StepExtractor(), Arrays.copyOf(step, step.length / 2)))
                .getMessage()
                .contains("truncated"));
        assertTrue(assertThrows(
                        InvalidDocumentException.class,
                        () -> read(new DxfExtractor(), "0\nSECTION\nxyz\nHEADER\n".getBytes()))
                .getMessage()
                .contains("expected a group code"));
        assertTrue(assertThrows(RuntimeException.class, () -> read(new IfcExtractor(), Fixtures.nestedIfc()))
                .getMessage()
                .contains("nest deeper than"));
    }

    @Test
    void digitsAndRepetitionsCostLinearTime() throws Exception {
        // what once took minutes in the offline rules: a DXF whose text is 100,000 digits
        String dxf = "0\nSECTION\n2\nENTITIES\n0\nTEXT\n8\n0\n1\n" + "9".repeat(100_000) + "\n0\nENDSEC\n0\nEOF\n";
        long t0 = System.nanoTime();
        DocumentModel document = read(new DxfExtractor(), dxf.getBytes(StandardCharsets.US_ASCII));
        assertTrue(document.text().length() >= 100_000);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
    }
}
