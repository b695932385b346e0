package io.distill.api.jobs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.api.TestAuth;
import io.distill.model.JobMessage;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.testinfra.Db;
import io.distill.testinfra.InfraResource;
import io.distill.testinfra.KafkaProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** POST /api/jobs/upload: format checks, limits, storage, and the job that results. */
@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class UploadTest {
    @ConfigProperty(name = "distill.test.jdbc-url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "distill.storage.local.root")
    Path storageRoot;

    Db db;
    String user;

    @BeforeEach
    void fresh() {
        db = new Db(jdbcUrl);
        user = "uploader-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anUploadIsStoredUnderAGeneratedNameAndEnqueued() throws Exception {
        byte[] content = "Plain notes from the site visit.\n\nAll good.".getBytes(StandardCharsets.UTF_8);
        File file = file("../../etc/passwd.txt", content);
        String id = TestAuth.as(user)
                .multiPart("file", "../../etc/passwd.txt", Files.readAllBytes(file.toPath()), "text/plain")
                .multiPart("options", "{\"maxChars\": 20, \"ocr\": \"off\"}")
                .multiPart("recordId", "R-17")
                .multiPart("attachmentId", "att-3")
                .post("/api/jobs/upload")
                .then()
                .statusCode(202)
                .body("status", equalTo("pending"))
                .body("fileSize", equalTo(content.length))
                .body("format", equalTo("text"))
                .body("options", equalTo(Map.of("maxChars", 20, "ocr", "off")))
                .extract()
                .jsonPath()
                .getString("id");
        Map<String, Object> row = db.query(
                        "select source_kind, filename, file_url, file_size, format, options::text as options, "
                                + "metadata::text as metadata from extraction_jobs where id = ?::uuid",
                        id)
                .get(0);
        assertEquals("upload", row.get("source_kind"));
        assertEquals("passwd.txt", row.get("filename"), "the original name is data only, without its path");
        assertEquals("text", row.get("format"));
        assertEquals((long) content.length, ((Number) row.get("file_size")).longValue());
        assertEquals("{\"ocr\": \"off\", \"maxChars\": 20}", row.get("options"));
        TestAuth.as(user)
                .get("/api/jobs/" + id)
                .then()
                .statusCode(200)
                .body("options", equalTo(Map.of("maxChars", 20, "ocr", "off")))
                .body("fileSize", equalTo(content.length));
        assertTrue(row.get("metadata").toString().contains("\"recordId\": \"R-17\""));
        String url = (String) row.get("file_url");
        // typed links and the content's identity, and the list finds the job by each of them
        TestAuth.as(user)
                .get("/api/jobs/" + id)
                .then()
                .body("recordId", equalTo("R-17"))
                .body("attachmentId", equalTo("att-3"))
                .body("fileUrl", equalTo(url))
                .body(
                        "contentSha256",
                        equalTo(java.util.HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(content))));
        for (String query : List.of("recordId=R-17", "attachmentId=att-3", "fileUrl=" + url)) {
            TestAuth.as(user).get("/api/jobs?" + query).then().statusCode(200).body("items.id", equalTo(List.of(id)));
        }
        TestAuth.as(user)
                .get("/api/jobs?recordId=R-18")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
        TestAuth.as("someone-else")
                .get("/api/jobs?recordId=R-17")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
        TestAuth.as(user)
                .queryParam("recordId", "R\u000017")
                .get("/api/jobs")
                .then()
                .statusCode(400)
                .body("reason", containsString("recordId"));
        assertTrue(url.matches("local:\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}\\.txt"), url);
        Path stored = storageRoot.resolve(url.substring("local:".length()));
        assertEquals("Plain notes from the site visit.\n\nAll good.", Files.readString(stored));

        var messages = new KafkaProbe(bootstrap)
                .read(Topics.JOBS, r -> id.equals(r.key()), got -> !got.isEmpty(), Duration.ofSeconds(20));
        assertEquals(
                UUID.fromString(id),
                Json.read(messages.get(0).value(), JobMessage.class).jobId());
    }

    @Test
    void everySupportedFormatIsRecognisedFromNameAndContent() {
        Map<String, String> formats = Map.of(
                "drawing.dxf", "0\nSECTION\n2\nHEADER\n0\nENDSEC\n0\nEOF\n",
                "model.ifc", "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\n",
                "part.step", "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('AUTOMOTIVE_DESIGN'));\nENDSEC;\n",
                "note.eml", "From: a@b.example\nSubject: hi\n\nbody\n",
                "page.html", "<!doctype html><html><body><p>x</p></body></html>",
                "readme.md", "# Title\n\ntext",
                "report.pdf", "%PDF-1.7\n%âãÏÓ\n");
        formats.forEach((name, content) -> {
            String id = upload(name, content.getBytes(StandardCharsets.ISO_8859_1))
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath()
                    .getString("id");
            String expected = name.endsWith(".eml")
                    ? "email"
                    : name.endsWith(".md") ? "markdown" : name.substring(name.indexOf('.') + 1);
            assertEquals(
                    expected,
                    db.query("select format from extraction_jobs where id = ?::uuid", id)
                            .get(0)
                            .get("format"),
                    name);
        });
    }

    @Test
    void refusedUploadsGetAReasonAndCreateNoJob() {
        long before = jobs();
        upload("plan.dwg", new byte[] {'A', 'C', '1', '0', '3', '2', 0, 0})
                .then()
                .statusCode(415)
                .body("error", equalTo("unsupported_file"))
                .body("reason", containsString("DWG is a closed binary format"));
        upload("empty.pdf", new byte[0]).then().statusCode(415).body("reason", containsString("the file is empty"));
        upload("renamed.pdf", "just text".getBytes())
                .then()
                .statusCode(415)
                .body("reason", containsString("not a PDF"));
        upload("junk.txt", new byte[] {0, 1, 2, 3, (byte) 0xff, 0})
                .then()
                .statusCode(415)
                .body("reason", containsString("binary"));
        upload("setup.exe", "MZ".getBytes())
                .then()
                .statusCode(415)
                .body("reason", containsString(".exe files are not supported"));
        upload("no-extension", "text".getBytes()).then().statusCode(415).body("reason", containsString("no extension"));
        upload("fake.ifc", "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('CONFIG_CONTROL_DESIGN'));".getBytes())
                .then()
                .statusCode(415)
                .body("reason", containsString("not an IFC model"));
        upload("report.docx", "just text".getBytes(StandardCharsets.ISO_8859_1))
                .then()
                .statusCode(415)
                .body("reason", containsString("not a Microsoft Office document"));
        upload("photo.png", "GIF89a".getBytes(StandardCharsets.ISO_8859_1))
                .then()
                .statusCode(415)
                .body("reason", containsString("not a PNG, JPEG or TIFF"));
        TestAuth.as(user)
                .multiPart("file", "a.txt", "hello".getBytes(), "text/plain")
                .multiPart("options", "{not json")
                .post("/api/jobs/upload")
                .then()
                .statusCode(400)
                .body("reason", containsString("options is not valid JSON"));
        TestAuth.as(user)
                .multiPart("file", "a.txt", "hello".getBytes(), "text/plain")
                .multiPart("options", "{\"language\": \"en\"}")
                .post("/api/jobs/upload")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_options"))
                .body(
                        "reason",
                        equalTo(
                                "unknown option 'language'; accepted: pages, ocr, ocrLanguage, attachments, maxChars, model, force"));
        TestAuth.as(user)
                .multiPart("options", "{}")
                .post("/api/jobs/upload")
                .then()
                .statusCode(400)
                .body("reason", containsString("'file' is required"));
        given().multiPart("file", "a.txt", "hello".getBytes(), "text/plain")
                .post("/api/jobs/upload")
                .then()
                .statusCode(401);
        assertEquals(before, jobs());
    }

    @Test
    void anUploadOverTheLimitIs413() throws Exception {
        long before = jobs();
        byte[] big = new byte[50 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        upload("huge.txt", big)
                .then()
                .statusCode(413)
                .body("reason", containsString("uploads are limited to 52428800"));
        assertEquals(before, jobs());
    }

    private io.restassured.response.Response upload(String name, byte[] content) {
        return TestAuth.as(user)
                .multiPart("file", name, content, "application/octet-stream")
                .post("/api/jobs/upload");
    }

    private File file(String name, byte[] content) throws Exception {
        Path file = Files.createTempFile("upload-", ".bin");
        Files.write(file, content);
        return file.toFile();
    }

    private long jobs() {
        return db.count("select count(*) from extraction_jobs where user_id = ?", user);
    }
}
