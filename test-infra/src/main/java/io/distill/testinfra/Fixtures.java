package io.distill.testinfra;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Test documents with real-world structure, generated rather than committed. */
public final class Fixtures {
    private Fixtures() {}

    /** A text PDF of two pages. */
    public static byte[] textPdf() throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            page(pdf, "Inspection report 2026-114", "Vessel: PV-7 pressure vessel", "Result: passed");
            page(pdf, "Page two: findings", "Weld seam W3 shows minor porosity", "Next inspection 2027-05");
            pdf.getDocumentInformation().setTitle("Inspection report");
            pdf.getDocumentInformation().setAuthor("QA Team");
            return save(pdf);
        }
    }

    /** A scanned page: the text exists only as pixels, so only OCR can read it. */
    public static byte[] scannedPdf() throws Exception {
        byte[] text;
        try (PDDocument pdf = new PDDocument()) {
            page(pdf, "INVOICE 2026-0042", "Vendor: ACME GmbH", "Total: 42.50 EUR");
            text = save(pdf);
        }
        try (PDDocument source = org.apache.pdfbox.Loader.loadPDF(text);
                PDDocument scan = new PDDocument()) {
            var image = new PDFRenderer(source).renderImageWithDPI(0, 200, ImageType.GRAY);
            PDPage page = new PDPage(PDRectangle.A4);
            scan.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(scan, page)) {
                cs.drawImage(
                        LosslessFactory.createFromImage(scan, image),
                        0,
                        0,
                        PDRectangle.A4.getWidth(),
                        PDRectangle.A4.getHeight());
            }
            return save(scan);
        }
    }

    public static byte[] encryptedPdf() throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            page(pdf, "Secret", "Nobody may read this", "");
            StandardProtectionPolicy policy =
                    new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            pdf.protect(policy);
            return save(pdf);
        }
    }

    /** Opens without a password but sets "no copy": viewers restrict copying, extractors read it. */
    public static byte[] noCopyPdf() throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            page(pdf, "Court notice", "Hearing on 14 December 2026 at 10:00", "");
            AccessPermission permissions = new AccessPermission();
            permissions.setCanExtractContent(false);
            permissions.setCanExtractForAccessibility(false);
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-only", "", permissions);
            policy.setEncryptionKeyLength(128);
            pdf.protect(policy);
            return save(pdf);
        }
    }

    private static void page(PDDocument pdf, String... lines) throws Exception {
        PDPage page = new PDPage(PDRectangle.A4);
        pdf.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(pdf, page)) {
            cs.beginText();
            cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 24);
            cs.newLineAtOffset(72, 720);
            for (String line : lines) {
                cs.showText(line);
                cs.newLineAtOffset(0, -40);
            }
            cs.endText();
        }
    }

    private static byte[] save(PDDocument pdf) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pdf.save(out);
        return out.toByteArray();
    }

    /** An ASCII DXF (AutoCAD 2013) with layers, a title block of attributes, text, MTEXT and a dimension. */
    public static byte[] dxf() {
        String[] groups = {
            "0",
            "SECTION",
            "2",
            "HEADER",
            "9",
            "$ACADVER",
            "1",
            "AC1027",
            "9",
            "$INSUNITS",
            "70",
            "4",
            "0",
            "ENDSEC",
            "0",
            "SECTION",
            "2",
            "TABLES",
            "0",
            "TABLE",
            "2",
            "LAYER",
            "0",
            "LAYER",
            "2",
            "0",
            "70",
            "0",
            "0",
            "LAYER",
            "2",
            "TITLEBLOCK",
            "70",
            "0",
            "0",
            "LAYER",
            "2",
            "DIMENSIONS",
            "70",
            "0",
            "0",
            "ENDTAB",
            "0",
            "ENDSEC",
            "0",
            "SECTION",
            "2",
            "BLOCKS",
            "0",
            "BLOCK",
            "2",
            "A3_TITLE",
            "8",
            "TITLEBLOCK",
            "0",
            "ATTDEF",
            "8",
            "TITLEBLOCK",
            "1",
            "",
            "2",
            "DRAWING_NO",
            "0",
            "ENDBLK",
            "0",
            "ENDSEC",
            "0",
            "SECTION",
            "2",
            "ENTITIES",
            "0",
            "TEXT",
            "8",
            "0",
            "10",
            "10.0",
            "20",
            "10.0",
            "40",
            "5.0",
            "1",
            "GENERAL ARRANGEMENT",
            "0",
            "MTEXT",
            "8",
            "0",
            "1",
            "{\\fArial|b0;Note:}\\PAll dimensions in mm",
            "0",
            "INSERT",
            "8",
            "TITLEBLOCK",
            "2",
            "A3_TITLE",
            "66",
            "1",
            "0",
            "ATTRIB",
            "8",
            "TITLEBLOCK",
            "1",
            "DWG-1042",
            "2",
            "DRAWING_NO",
            "0",
            "ATTRIB",
            "8",
            "TITLEBLOCK",
            "1",
            "Pump housing",
            "2",
            "TITLE",
            "0",
            "ATTRIB",
            "8",
            "TITLEBLOCK",
            "1",
            "C",
            "2",
            "REV",
            "0",
            "ATTRIB",
            "8",
            "TITLEBLOCK",
            "1",
            "1:10",
            "2",
            "SCALE",
            "0",
            "ATTRIB",
            "8",
            "TITLEBLOCK",
            "1",
            "EN-GJL-250",
            "2",
            "MATERIAL",
            "0",
            "SEQEND",
            "0",
            "DIMENSION",
            "8",
            "DIMENSIONS",
            "1",
            "<>",
            "42",
            "250.0",
            "0",
            "LINE",
            "8",
            "0",
            "10",
            "0.0",
            "20",
            "0.0",
            "11",
            "100.0",
            "21",
            "0.0",
            "0",
            "ENDSEC",
            "0",
            "EOF"
        };
        StringBuilder out = new StringBuilder();
        for (String g : groups) {
            out.append(g).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An IFC4 model: project, site, building, two storeys, walls and a door, a property set. */
    public static byte[] ifc() {
        return """
                ISO-10303-21;
                HEADER;
                FILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');
                FILE_NAME('office.ifc','2026-11-20T10:00:00',('J. Architect'),('Muster Planung GmbH'),'IfcOpenShell','Revit 2026','');
                FILE_SCHEMA(('IFC4'));
                ENDSEC;
                DATA;
                #1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',$,'Office Tower',$,$,$,$,$,$);
                #2=IFCSITE('1YvctVUKr0kugbFTf53O9L',$,'Harbour Site',$,$,$,$,$,.ELEMENT.,$,$,$,$,$);
                #3=IFCBUILDING('2YvctVUKr0kugbFTf53O9L',$,'Block A',$,$,$,$,$,.ELEMENT.,$,$,$);
                #4=IFCBUILDINGSTOREY('3YvctVUKr0kugbFTf53O9L',$,'Ground Floor',$,$,$,$,$,.ELEMENT.,0.);
                #5=IFCBUILDINGSTOREY('4YvctVUKr0kugbFTf53O9L',$,'Level 1',$,$,$,$,$,.ELEMENT.,3500.);
                #6=IFCRELAGGREGATES('5YvctVUKr0kugbFTf53O9L',$,$,$,#1,(#2));
                #7=IFCRELAGGREGATES('6YvctVUKr0kugbFTf53O9L',$,$,$,#2,(#3));
                #8=IFCRELAGGREGATES('7YvctVUKr0kugbFTf53O9L',$,$,$,#3,(#4,#5));
                #10=IFCWALLSTANDARDCASE('8YvctVUKr0kugbFTf53O9L',$,'Wall-001',$,$,$,$,$,.NOTDEFINED.);
                #11=IFCWALLSTANDARDCASE('9YvctVUKr0kugbFTf53O9L',$,'Wall-002',$,$,$,$,$,.NOTDEFINED.);
                #12=IFCWALL('AYvctVUKr0kugbFTf53O9L',$,'Wall-101',$,$,$,$,$,.NOTDEFINED.);
                #13=IFCDOOR('BYvctVUKr0kugbFTf53O9L',$,'Door-01 \\X2\\00C4\\X0\\',$,$,$,$,$,2100.,900.,.DOOR.,.SINGLE_SWING_LEFT.,$);
                #20=IFCRELCONTAINEDINSPATIALSTRUCTURE('CYvctVUKr0kugbFTf53O9L',$,$,$,(#10,#11,#13),#4);
                #21=IFCRELCONTAINEDINSPATIALSTRUCTURE('DYvctVUKr0kugbFTf53O9L',$,$,$,(#12),#5);
                #30=IFCPROPERTYSINGLEVALUE('FireRating',$,IFCLABEL('REI 90'),$);
                #31=IFCPROPERTYSINGLEVALUE('IsExternal',$,IFCBOOLEAN(.T.),$);
                #32=IFCPROPERTYSET('EYvctVUKr0kugbFTf53O9L',$,'Pset_WallCommon',$,(#30,#31));
                ENDSEC;
                END-ISO-10303-21;
                """.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A STEP AP214 part: header, a product, SI length and angle units. */
    public static byte[] step() {
        return """
                ISO-10303-21;
                HEADER;
                FILE_DESCRIPTION(('Bracket, machined'),'2;1');
                FILE_NAME('bracket.stp','2026-11-18T08:30:00',('M. Engineer'),('Precision Parts AG'),'ST-DEVELOPER','CATIA V5','');
                FILE_SCHEMA(('AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }'));
                ENDSEC;
                DATA;
                /* product definition */
                #1=APPLICATION_CONTEXT('automotive design');
                #2=PRODUCT_CONTEXT('',#1,'mechanical');
                #3=PRODUCT('BRK-100','Bracket BRK-100','L-shaped mounting bracket',(#2));
                #4=PRODUCT_DEFINITION_FORMATION('','',#3);
                #10=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.MILLI.,.METRE.));
                #11=(NAMED_UNIT(*)PLANE_ANGLE_UNIT()SI_UNIT($,.RADIAN.));
                #12=CARTESIAN_POINT('origin',(0.,0.,-1.5E-1));
                ENDSEC;
                END-ISO-10303-21;
                """.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A multipart e-mail: a plain-text body and a PDF attachment. */
    public static byte[] email() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("research@broker.example", "Broker Research"));
        message.setRecipients(MimeMessage.RecipientType.TO, "analyst@fund.example");
        message.setSubject("ACME upgrade to Buy, target EUR 62");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(
                "We upgrade ACME to Buy.\n\nKey points:\n1. Margins recover in H2.\n2. Order book up 14 percent.",
                "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(textPdf(), "application/pdf");
        attachment.setFileName("acme-note.pdf");
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(attachment);
        message.setContent(mixed);
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    public static byte[] html() {
        return """
                <!doctype html><html><head><title>Site diary</title><style>p{color:red}</style></head>
                <body><h1>Site diary, 21 November</h1><p>Concrete pour for <b>slab L2</b> completed.</p>
                <ul><li>Crane inspection passed</li><li>Delivery of rebar delayed</li></ul>
                <script>alert('not text')</script></body></html>
                """.getBytes(StandardCharsets.UTF_8);
    }

    /** A PDF whose one page's content stream is a few hundred KB compressed and 200 MB inflated. */
    public static byte[] pdfBomb() throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            pdf.addPage(page);
            org.apache.pdfbox.pdmodel.common.PDStream content = new org.apache.pdfbox.pdmodel.common.PDStream(pdf);
            try (var out = content.createOutputStream(org.apache.pdfbox.cos.COSName.FLATE_DECODE)) {
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (int i = 0; i < 200; i++) {
                    out.write(spaces);
                }
                out.write("BT /F1 12 Tf 72 720 Td (boom) Tj ET".getBytes(StandardCharsets.US_ASCII));
            }
            page.setContents(content);
            return save(pdf);
        }
    }

    /** An ASCII DXF of about {@code megabytes} MB: a title and a great many LINE entities. */
    public static java.nio.file.Path largeDxf(java.nio.file.Path file, int megabytes) throws java.io.IOException {
        try (var out = new java.io.BufferedWriter(
                java.nio.file.Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1), 1 << 16)) {
            out.write(
                    "0\r\nSECTION\r\n2\r\nHEADER\r\n9\r\n$INSUNITS\r\n70\r\n6\r\n0\r\nENDSEC\r\n0\r\nSECTION\r\n2\r\nENTITIES\r\n");
            out.write("0\r\nTEXT\r\n8\r\n0\r\n1\r\nSITE PLAN, LARGE\r\n");
            long target = (long) megabytes << 20;
            long written = 0;
            for (int i = 0; written < target; i++) {
                String line = "0\r\nLINE\r\n8\r\nGRID\r\n10\r\n" + i + ".0\r\n20\r\n0.0\r\n11\r\n" + i
                        + ".0\r\n21\r\n1000.0\r\n";
                out.write(line);
                written += line.length();
            }
            out.write("0\r\nENDSEC\r\n0\r\nEOF\r\n");
        }
        return file;
    }

    /** An IFC whose one entity nests parentheses far past any real model ("billion laughs" in STEP clothing). */
    public static byte[] nestedIfc() {
        String deep = "(".repeat(5000) + ")".repeat(5000);
        return ("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((''),'2;1');\nFILE_NAME('x','',(''),(''),'','','');\n"
                        + "FILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n#1=IFCPROJECT('g',$,'Bomb',$,$,$,$," + deep
                        + ",$);\nENDSEC;\nEND-ISO-10303-21;\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
