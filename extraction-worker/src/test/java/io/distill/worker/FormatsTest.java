package io.distill.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.model.files.LocalFileStorage;
import io.distill.testinfra.Fixtures;
import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every format through the worker (storage → LOAD → TEXT_EXTRACT → … → PERSIST) on real documents. */
@Tag("infra")
@QuarkusTest
@WithTestResource(
        value = InfraResource.class,
        initArgs = {@ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "owner", value = "true")})
class FormatsTest {
    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "distill.storage.local.root")
    Path storageRoot;

    WorkerTests t;

    @BeforeEach
    void setUp() {
        t = new WorkerTests(jdbcUrl, bootstrap);
    }

    @Test
    void pdfTextLayerIsReadPageByPage() throws Exception {
        JsonNode document = completed("report.pdf", "pdf", Fixtures.textPdf());
        String text = document.get("textPreview").asText();
        assertTrue(
                text.contains("Inspection report 2026-114") && text.contains("Weld seam W3 shows minor porosity"),
                text);
        assertEquals(2, document.at("/metadata/pages").asInt());
        assertEquals(0, document.at("/metadata/ocrPages").asInt());
        assertEquals("Inspection report", document.at("/metadata/title").asText());
        assertEquals(2, document.get("sections").asInt(), "one section per page");
    }

    @Test
    void aScannedPageIsOcredOnceAndCachedByContent() throws Exception {
        byte[] scan = Fixtures.scannedPdf();
        JsonNode document = completed("scan.pdf", "pdf", scan);
        String text = document.get("textPreview").asText();
        assertTrue(text.contains("INVOICE") && text.contains("ACME") && text.contains("EUR"), "OCR text: " + text);
        assertEquals(1, document.at("/metadata/ocrPages").asInt());
        long cached = t.db.count("select count(*) from ocr_cache");
        assertTrue(cached >= 1);

        // the same content again (a retry or a re-upload): read from the cache, not OCRed again
        JsonNode again = completed("scan-again.pdf", "pdf", scan);
        assertEquals(text, again.get("textPreview").asText());
        assertEquals(cached, t.db.count("select count(*) from ocr_cache"));
    }

    @Test
    void dxfTitleBlockUnitsLayersTextAndDimensions() throws Exception {
        JsonNode document = completed("pump-housing.dxf", "dxf", Fixtures.dxf());
        JsonNode meta = document.get("metadata");
        assertEquals("DWG-1042", meta.at("/titleBlock/drawingNumber").asText());
        assertEquals("Pump housing", meta.at("/titleBlock/title").asText());
        assertEquals("C", meta.at("/titleBlock/revision").asText());
        assertEquals("1:10", meta.at("/titleBlock/scale").asText());
        assertEquals("EN-GJL-250", meta.at("/titleBlock/material").asText());
        assertEquals("millimeters", meta.get("units").asText());
        assertEquals("AC1027", meta.get("version").asText());
        assertTrue(meta.get("layers").toString().contains("TITLEBLOCK"), meta.toString());
        assertTrue(meta.get("blocks").toString().contains("A3_TITLE"), meta.toString());
        assertEquals("250.0", meta.at("/dimensions/0").asText());
        String text = document.get("textPreview").asText();
        assertTrue(
                text.contains("GENERAL ARRANGEMENT")
                        && text.contains("All dimensions in mm")
                        && text.contains("drawingNumber: DWG-1042"),
                text);
    }

    @Test
    void ifcSpatialHierarchyElementsAndPropertySets() throws Exception {
        JsonNode document = completed("office.ifc", "ifc", Fixtures.ifc());
        JsonNode meta = document.get("metadata");
        assertEquals("Office Tower", meta.get("project").asText());
        assertEquals("Harbour Site", meta.at("/sites/0").asText());
        assertEquals("Block A", meta.at("/buildings/0").asText());
        assertEquals("Ground Floor", meta.at("/storeys/0/name").asText());
        assertEquals(3, meta.at("/storeys/0/elements").asInt());
        assertEquals("Level 1", meta.at("/storeys/1/name").asText());
        assertEquals("3500", meta.at("/storeys/1/elevation").asText());
        assertEquals(2, meta.at("/elementCounts/IFCWALLSTANDARDCASE").asInt());
        assertEquals(1, meta.at("/elementCounts/IFCDOOR").asInt());
        assertEquals(
                "FireRating=REI 90", meta.at("/propertySets/Pset_WallCommon/0").asText());
        assertEquals(
                "IsExternal=true", meta.at("/propertySets/Pset_WallCommon/1").asText());
        assertEquals("J. Architect", meta.at("/author/0").asText());
        assertEquals("Muster Planung GmbH", meta.at("/organization/0").asText());
        assertEquals("IFC4", meta.at("/schema/0").asText());
        String text = document.get("textPreview").asText();
        assertTrue(
                text.contains("Project: Office Tower") && text.contains("Buildingstorey: Level 1 (elevation 3500)"),
                text);
    }

    @Test
    void stepProductsUnitsAndHeader() throws Exception {
        JsonNode meta = completed("bracket.stp", "step", Fixtures.step()).get("metadata");
        assertEquals("Bracket BRK-100", meta.at("/products/0").asText());
        assertEquals("millimetre", meta.at("/units/length").asText());
        assertEquals("radian", meta.at("/units/plane_angle").asText());
        assertTrue(meta.at("/schema/0").asText().startsWith("AUTOMOTIVE_DESIGN"), meta.toString());
        assertEquals("Precision Parts AG", meta.at("/organization/0").asText());
        assertEquals(1, meta.at("/entityCounts/PRODUCT").asInt());
    }

    @Test
    void emailHeadersBodyAndAttachments() throws Exception {
        JsonNode document = completed("note.eml", "email", Fixtures.email());
        JsonNode meta = document.get("metadata");
        assertEquals("ACME upgrade to Buy, target EUR 62", meta.get("subject").asText());
        assertTrue(meta.get("from").asText().contains("research@broker.example"));
        assertEquals("acme-note.pdf", meta.at("/attachments/0/filename").asText());
        assertEquals("application/pdf", meta.at("/attachments/0/contentType").asText());
        assertTrue(document.get("textPreview").asText().contains("Margins recover in H2"), document.toString());
    }

    @Test
    void htmlTextWithoutMarkupOrScripts() throws Exception {
        JsonNode document = completed("diary.html", "html", Fixtures.html());
        String text = document.get("textPreview").asText();
        assertTrue(
                text.contains("Concrete pour for slab L2 completed.") && text.contains("Delivery of rebar delayed"),
                text);
        assertTrue(!text.contains("alert") && !text.contains("color:red"), text);
        assertEquals("Site diary", document.at("/metadata/title").asText());
    }

    @Test
    void hostileAndBrokenFilesFailTheirJobAndTheWorkerGoesOn() throws Exception {
        byte[] pdf = Fixtures.textPdf();
        byte[] step = Fixtures.step();
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("truncated PDF", new Object[] {"pdf", Arrays.copyOf(pdf, pdf.length / 2), "corrupt or truncated"});
        cases.put("encrypted PDF", new Object[] {"pdf", Fixtures.encryptedPdf(), "encrypted"});
        cases.put(
                "junk behind a PDF header",
                new Object[] {"pdf", "%PDF-1.7\n\u0000\u0001garbage".getBytes(), "corrupt or truncated"});
        cases.put("IFC nesting bomb", new Object[] {"ifc", Fixtures.nestedIfc(), "nest deeper than"});
        cases.put("truncated STEP", new Object[] {"step", Arrays.copyOf(step, step.length / 2), "truncated"});
        cases.put(
                "DXF with a broken group code",
                new Object[] {"dxf", "0\nSECTION\nxyz\nHEADER\n".getBytes(), "expected a group code"});
        cases.put("PDF decompression bomb", new Object[] {"pdf", Fixtures.pdfBomb(), "decompresses to more than"});
        for (var c : cases.entrySet()) {
            UUID id = uploadJob("bad." + c.getValue()[0], (String) c.getValue()[0], (byte[]) c.getValue()[1]);
            t.enqueue(id);
            t.awaitStatus(id, "failed");
            Map<String, Object> job = t.db.query(
                            "select error_code, error_message, retry_count from extraction_jobs where id = ?", id)
                    .get(0);
            assertEquals("validation_error", job.get("error_code"), c.getKey() + ": " + job);
            assertTrue(((String) job.get("error_message")).contains((String) c.getValue()[2]), c.getKey() + ": " + job);
            assertEquals(0, job.get("retry_count"), c.getKey() + " is not retried");
        }
        completed("after.html", "html", Fixtures.html());
    }

    @Test
    void aHundredMegabyteDrawingIsStreamedNotLoaded() throws Exception {
        Path big = Fixtures.largeDxf(Files.createTempFile("large-", ".dxf"), 100);
        String url = new LocalFileStorage(storageRoot).store(big, "dxf");
        long size = Files.size(big);
        Files.delete(big);
        UUID id = UUID.randomUUID();
        t.db.update(
                "insert into extraction_jobs (id, user_id, source_kind, filename, file_url, file_size, format, enqueued_at) "
                        + "values (?, 'u1', 'upload', 'site.dxf', ?, ?, 'dxf', now())",
                id,
                url,
                size);
        long t0 = System.nanoTime();
        t.enqueue(id);
        org.awaitility.Awaitility.await("large drawing done")
                .atMost(java.time.Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> t.status(id), "completed"::equals);
        String result = (String) t.db.query("select result::text as r from extraction_jobs where id = ?", id)
                .get(0)
                .get("r");
        JsonNode meta = Json.mapper().readTree(result).at("/document/metadata");
        assertEquals("meters", meta.get("units").asText());
        assertTrue(
                meta.at("/entityCounts/LINE").asInt() > 500_000,
                meta.get("entityCounts").toString());
        System.out.printf("[formats] %d MB DXF extracted in %d ms%n", size >> 20, (System.nanoTime() - t0) / 1_000_000);
        completed("after-large.html", "html", Fixtures.html());
    }

    @Test
    void theJobsOptionsNarrowWhatIsReadAndABadOneFailsTheJobAsTheCallersError() throws Exception {
        JsonNode second = completed("report.pdf", "pdf", Fixtures.textPdf(), "{\"pages\": \"2\", \"maxChars\": 30}");
        assertEquals(1, second.at("/metadata/pagesRead").asInt(), second.toString());
        assertEquals(30, second.at("/metadata/cut/keptChars").asInt(), second.toString());
        assertTrue(second.get("textPreview").asText().startsWith("Page two: findings"), second.toString());
        assertEquals(30, second.get("textPreview").asText().length());

        UUID id = uploadJob("scan.pdf", "pdf", Fixtures.scannedPdf());
        t.db.update("update extraction_jobs set options = '{\"ocrLanguage\": \"xyz\"}'::jsonb where id = ?", id);
        t.enqueue(id);
        t.awaitStatus(id, "failed");
        Map<String, Object> failed = t.db.query(
                        "select error_code, error_message, retry_count from extraction_jobs where id = ?", id)
                .get(0);
        assertEquals("validation_error", failed.get("error_code"));
        assertTrue(
                failed.get("error_message").toString().startsWith("OCR language 'xyz' is not installed"),
                failed.toString());
        assertEquals(0, failed.get("retry_count"), "the caller's error is not retried");
    }

    private JsonNode completed(String name, String format, byte[] content) throws Exception {
        return completed(name, format, content, "{}");
    }

    private JsonNode completed(String name, String format, byte[] content, String options) throws Exception {
        UUID id = uploadJob(name, format, content);
        t.db.update("update extraction_jobs set options = ?::jsonb where id = ?", options, id);
        t.enqueue(id);
        t.awaitStatus(id, "completed");
        String result = (String) t.db.query("select result::text as r from extraction_jobs where id = ?", id)
                .get(0)
                .get("r");
        return Json.mapper().readTree(result).get("document");
    }

    private UUID uploadJob(String name, String format, byte[] content) throws Exception {
        Path file = Files.createTempFile("fixture-", "-" + name);
        Files.write(file, content);
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String url = new LocalFileStorage(storageRoot).store(file, extension);
        Files.delete(file);
        UUID id = UUID.randomUUID();
        t.db.update(
                "insert into extraction_jobs (id, user_id, source_kind, filename, file_url, file_size, format, enqueued_at) "
                        + "values (?, 'u1', 'upload', ?, ?, ?, ?, now())",
                id,
                name,
                url,
                (long) content.length,
                format);
        return id;
    }
}
