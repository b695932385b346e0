package io.distill.worker.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.worker.formats.dxf.DxfExtractor;
import io.distill.worker.formats.ifc.IfcExtractor;
import io.distill.worker.formats.step.StepExtractor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DXF, STEP and IFC readers on small generated files, one per class of real-world input they
 * once got wrong (issue 15); milliseconds each.
 */
@Timeout(10)
class CadReadersTest {

    private static DocumentModel read(FormatExtractor extractor, byte[] content) throws Exception {
        return extractor.extract(Source.ofBytes(content), DefaultLimits.INSTANCE);
    }

    /** An ASCII DXF from group pairs; {@code charset} encodes the values (a file is bytes). */
    private static byte[] dxf(Charset charset, String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(pairs[i]).append("\r\n").append(pairs[i + 1]).append("\r\n");
        }
        return out.append("0\r\nEOF\r\n").toString().getBytes(charset);
    }

    private static String[] header(String version, String codePage) {
        return new String[] {
            "0",
            "SECTION",
            "2",
            "HEADER",
            "9",
            "$ACADVER",
            "1",
            version,
            "9",
            "$DWGCODEPAGE",
            "3",
            codePage,
            "9",
            "$INSUNITS",
            "70",
            "4",
            "0",
            "ENDSEC"
        };
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    void dxfFromR2007OnIsUtf8WhateverTheCodePageSays() throws Exception {
        byte[] file = dxf(StandardCharsets.UTF_8, concat(header("AC1021", "ANSI_1252"), new String[] {
            "0", "SECTION", "2", "ENTITIES", "0", "TEXT", "8", "NOTES", "1", "Prüfmaß 12 µm – Größe", "0", "ENDSEC"
        }));
        assertTrue(read(new DxfExtractor(), file).text().contains("[NOTES] Prüfmaß 12 µm – Größe"));
    }

    @Test
    void dxfBeforeR2007UsesItsCodePage() throws Exception {
        byte[] file = dxf(Charset.forName("windows-1251"), concat(header("AC1015", "ANSI_1251"), new String[] {
            "0", "SECTION", "2", "ENTITIES", "0", "TEXT", "8", "0", "1", "Чертёж общего вида", "0", "ENDSEC"
        }));
        assertTrue(read(new DxfExtractor(), file).text().contains("Чертёж общего вида"));
    }

    @Test
    void dxfUnicodeEscapesMtextCodesChunkJoinsAndAttributes() throws Exception {
        byte[] file = dxf(StandardCharsets.UTF_8, concat(header("AC1027", "ANSI_1252"), new String[] {
            "0",
            "SECTION",
            "2",
            "ENTITIES",
            "0",
            "TEXT",
            "8",
            "0",
            "1",
            "Winkel \\U+03B1 = 30%%d %%p0.5",
            // a word split across MTEXT chunks (group 3, then 1): the space at the chunk's end must survive
            "0",
            "MTEXT",
            "8",
            "0",
            "3",
            "{\\fArial|b1|i0|c0|p34;Load case A: }axial ",
            "1",
            "force\\P\\H2.5x;Tolerance \\S+0.1^-0.2; mm^JSecond line\\~end \\{braces\\}",
            "0",
            "INSERT",
            "8",
            "TITLE",
            "2",
            "TB",
            "66",
            "1",
            "0",
            "ATTRIB",
            "8",
            "TITLE",
            "2",
            "DRAWING_NO",
            "1",
            "DWG-7",
            "0",
            "ATTRIB",
            "8",
            "TITLE",
            "2",
            "CLIENT",
            "1",
            "ACME AG",
            "0",
            "SEQEND",
            "0",
            "ENDSEC"
        }));
        DocumentModel document = read(new DxfExtractor(), file);
        String text = document.text();
        assertTrue(text.contains("Winkel α = 30° ±0.5"), text);
        assertTrue(text.contains("Load case A: axial force\nTolerance +0.1/-0.2 mm\nSecond line end {braces}"), text);
        assertTrue(
                text.contains("DRAWING_NO: DWG-7") && text.contains("CLIENT: ACME AG"),
                "attribute values are text too: " + text);
        assertEquals("DWG-7", ((Map<?, ?>) document.metadata().get("titleBlock")).get("drawingNumber"));
    }

    @Test
    void binaryDxfReadsLikeAscii() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("AutoCAD Binary DXF\r\n\u001a\0".getBytes(StandardCharsets.ISO_8859_1));
        binaryString(out, 0, "SECTION");
        binaryString(out, 2, "HEADER");
        binaryString(out, 9, "$ACADVER");
        binaryString(out, 1, "AC1015");
        binaryString(out, 9, "$INSUNITS");
        out.write(new byte[] {70, 0, 6, 0});
        binaryString(out, 0, "ENDSEC");
        binaryString(out, 0, "SECTION");
        binaryString(out, 2, "ENTITIES");
        binaryString(out, 0, "TEXT");
        binaryString(out, 8, "0");
        out.write(new byte[] {10, 0});
        out.write(java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putDouble(12.5)
                .array());
        binaryString(out, 1, "Binary note");
        binaryString(out, 0, "ENDSEC");
        binaryString(out, 0, "EOF");
        DocumentModel document = read(new DxfExtractor(), out.toByteArray());
        assertEquals("meters", document.metadata().get("units"));
        assertTrue(document.text().contains("Binary note"), document.text());
    }

    private static void binaryString(ByteArrayOutputStream out, int code, String value) {
        out.write(code);
        out.write(0);
        out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
    }

    @Test
    void dxfMtextOfHostileSizeIsLinear() throws Exception {
        // a megabyte of unterminated formatting codes: each code must not rescan the rest of the text
        String codes = "\\f".repeat(400_000);
        byte[] file = dxf(StandardCharsets.UTF_8, concat(header("AC1027", "ANSI_1252"), new String[] {
            "0", "SECTION", "2", "ENTITIES", "0", "MTEXT", "8", "0", "1", codes + "end", "0", "ENDSEC"
        }));
        long t0 = System.nanoTime();
        assertTrue(read(new DxfExtractor(), file).text().contains("end"));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static byte[] step(String data) {
        return ("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('part'),'2;1');\nFILE_NAME('part.stp','2026-11-30T10:00:00',('Jane'),('ACME'),"
                        + "'pp','CATIA V5','');\nFILE_SCHEMA(('AUTOMOTIVE_DESIGN'));\nENDSEC;\nDATA;\n" + data
                        + "ENDSEC;\nEND-ISO-10303-21;\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void stepReportsTheUnitsTheModelIsMeasuredInNotTheFirstDeclared() throws Exception {
        String data = """
                #1=PRODUCT('BRK','Bracket','',(#2));
                #10=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.MILLI.,.METRE.));
                #11=LENGTH_MEASURE_WITH_UNIT(LENGTH_MEASURE(25.4),#10);
                #12=DIMENSIONAL_EXPONENTS(1.,0.,0.,0.,0.,0.,0.);
                #13=(CONVERSION_BASED_UNIT('INCH',#11)LENGTH_UNIT()NAMED_UNIT(#12));
                #14=(NAMED_UNIT(*)PLANE_ANGLE_UNIT()SI_UNIT($,.RADIAN.));
                #15=PLANE_ANGLE_MEASURE_WITH_UNIT(PLANE_ANGLE_MEASURE(0.0174532925),#14);
                #16=(CONVERSION_BASED_UNIT('DEGREE',#15)NAMED_UNIT(#12)PLANE_ANGLE_UNIT());
                #17=(NAMED_UNIT(*)SI_UNIT($,.STERADIAN.)SOLID_ANGLE_UNIT());
                #20=(GEOMETRIC_REPRESENTATION_CONTEXT(3)GLOBAL_UNIT_ASSIGNED_CONTEXT((#13,#16,#17))REPRESENTATION_CONTEXT('',''));
                """;
        Map<String, Object> meta = read(new StepExtractor(), step(data)).metadata();
        assertEquals(
                Map.of(
                        "length",
                        "inch (25.4 millimetre)",
                        "plane_angle",
                        "degree (0.0174532925 radian)",
                        "solid_angle",
                        "steradian"),
                meta.get("units"));
        assertEquals(List.of("Bracket"), meta.get("products"));
    }

    @Test
    void stepInchDefinedViaCentimetresIsStillAnInch() throws Exception {
        String data = """
                #10=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.CENTI.,.METRE.));
                #11=LENGTH_MEASURE_WITH_UNIT(LENGTH_MEASURE(2.54),#10);
                #13=(CONVERSION_BASED_UNIT('INCH',#11)LENGTH_UNIT()NAMED_UNIT(#12));
                #20=(GEOMETRIC_REPRESENTATION_CONTEXT(3)GLOBAL_UNIT_ASSIGNED_CONTEXT((#13))REPRESENTATION_CONTEXT('',''));
                """;
        assertEquals(
                Map.of("length", "inch (2.54 centimetre)"),
                read(new StepExtractor(), step(data)).metadata().get("units"));
    }

    @Test
    void stepWithByteOrderMarkRawUtf8AndX4EscapesReads() throws Exception {
        byte[] body =
                step("#1=PRODUCT('P1','Flansch Ø40 \\X4\\0001F600\\X0\\','',(#2));\n".replace("Ø", "\u00c3\u0098"));
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertEquals(
                List.of("Flansch Ø40 \uD83D\uDE00"),
                read(new StepExtractor(), withBom).metadata().get("products"));
    }

    private static byte[] ifc(String data) {
        return ("\uFEFFISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\n"
                        + "FILE_NAME('m.ifc','2026-11-30T10:00:00',(''),(''),'','ArchiCAD 27','');\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n"
                        + data + "ENDSEC;\nEND-ISO-10303-21;\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ifcCountsEveryProductTypeAndToleratesAByteOrderMark() throws Exception {
        String data = """
                #1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',$,'Clinic',$,$,$,$,(#9),#8);
                #2=IFCFURNITURE('1YvctVUKr0kugbFTf53O9L',$,'Desk',$,$,#20,#21,$,$);
                #3=IFCFURNITURE('2YvctVUKr0kugbFTf53O9L',$,'Chair',$,$,#20,#21,$,$);
                #4=IFCBUILDINGELEMENTPART('3YvctVUKr0kugbFTf53O9L',$,'Insulation',$,$,#20,#21,$,$);
                #5=IFCSANITARYTERMINAL('4YvctVUKr0kugbFTf53O9L',$,'WC',$,$,#20,$,$,$);
                #6=IFCWALLTYPE('5YvctVUKr0kugbFTf53O9L',$,'Basic wall',$,$,(#30),$,$,$,.STANDARD.);
                #7=IFCRELAGGREGATES('6YvctVUKr0kugbFTf53O9L',$,$,$,#1,(#40));
                #8=IFCPROPERTYSET('7YvctVUKr0kugbFTf53O9L',$,'Pset_Common',$,(#31));
                """;
        Map<String, Object> meta = read(new IfcExtractor(), ifc(data)).metadata();
        assertEquals(
                Map.of("IFCFURNITURE", 2, "IFCBUILDINGELEMENTPART", 1, "IFCSANITARYTERMINAL", 1),
                meta.get("elementCounts"));
        assertEquals("Clinic", meta.get("project"));
    }
}
