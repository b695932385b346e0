package io.distill.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.testinfra.Fixtures;
import io.distill.testinfra.KraftBroker;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Resources;
import io.distill.testinfra.S3Local;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;
import io.distill.testinfra.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with every part real and separate: REST → PostgreSQL + outbox → Kafka → worker
 * process → PostgreSQL → events topic → gateway process → WebSocket client.
 */
class DistillStackIT {
    private static final Duration WAIT = Stack.WAIT;

    static LocalPostgres pg;
    static KraftBroker kafka;
    static S3Local s3;
    static Stack stack;
    static ServiceProcess gateway;

    @BeforeAll
    static void startStack() throws Exception {
        pg = LocalPostgres.start();
        kafka = KraftBroker.start();
        // this stack keeps uploads in S3-compatible storage (the chaos stack uses the shared directory)
        s3 = S3Local.start();
        stack = new Stack(pg, kafka.bootstrapServers()).withS3(s3).startApi();
        stack.startWorker("worker-1", Map.of());
        gateway = stack.startGateway();
    }

    @AfterAll
    static void stopStack() throws Exception {
        Resources.closeAll(stack, s3, kafka, pg);
    }

    @Test
    void twentyJobsCompleteWithMonotonicProgressStreamedToTheBrowserSide() throws Exception {
        String user = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsClient ws = WsClient.connect(
                gateway.url("/ws/progress?ticket=" + stack.wsTicket(user)).replace("http", "ws"))) {
            ws.send("{\"type\":\"subscribe\",\"all\":true}");
            assertEquals(
                    "subscribed",
                    Json.mapper().readTree(ws.next(WAIT)).get("type").asText());
            awaitGatewayAssigned(ws, user);

            List<UUID> jobs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobs.add(stack.submit(
                        user,
                        "Report " + i + "\n\nRevenue EUR " + (1000 + i) + " on 2026-11-" + (10 + i) + ". Contact ir" + i
                                + "@acme.example."));
            }

            Map<UUID, List<ProgressEvent>> events = new HashMap<>();
            int completed = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (completed < jobs.size() && System.nanoTime() < deadline) {
                String message = ws.next(Duration.ofSeconds(5));
                if (message == null) {
                    continue;
                }
                JsonNode node = Json.mapper().readTree(message);
                if (!"progress".equals(node.get("type").asText())) {
                    continue;
                }
                ProgressEvent event = Json.mapper().treeToValue(node.get("event"), ProgressEvent.class);
                events.computeIfAbsent(event.jobId(), k -> new ArrayList<>()).add(event);
                if (event.status() == JobStatus.COMPLETED) {
                    completed++;
                }
            }

            for (UUID job : jobs) {
                List<ProgressEvent> seen = events.get(job);
                assertTrue(seen != null && !seen.isEmpty(), "events for " + job);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i).progress() >= seen.get(i - 1).progress(), "non-decreasing progress " + seen);
                    assertTrue(seen.get(i).seq() > seen.get(i - 1).seq(), "increasing sequence " + seen);
                }
                ProgressEvent last = seen.get(seen.size() - 1);
                assertEquals(JobStatus.COMPLETED, last.status(), "last event of " + job);
                assertEquals(100, last.progress());
                assertEquals(user, last.userId());

                JsonNode view = stack.get(user, "/api/jobs/" + job);
                assertEquals("completed", view.get("status").asText());
                assertEquals(
                        "offline-rules-v1", view.at("/result/extractor/name").asText());
            }
            assertEquals(20, completed, "every job's completion reached the WebSocket client");
            String ids = jobs.stream()
                    .map(j -> "'" + j + "'")
                    .reduce((a, b) -> a + "," + b)
                    .orElseThrow();
            assertEquals(20, stack.count("select count(*) from extraction_results where job_id in (" + ids + ")"));
            assertEquals(
                    20,
                    stack.count("select count(distinct job_id) from extraction_results where job_id in (" + ids + ")"));
        }
    }

    @Test
    void everyFormatUploadedCompletesThroughTheWholeSystemWithS3Storage() throws Exception {
        String user = "files-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("report.pdf", Fixtures.textPdf());
        files.put("scan.pdf", Fixtures.scannedPdf());
        files.put("pump-housing.dxf", Fixtures.dxf());
        files.put("office.ifc", Fixtures.ifc());
        files.put("bracket.step", Fixtures.step());
        files.put("note.eml", Fixtures.email());
        files.put("diary.html", Fixtures.html());
        files.put("notes.txt", "Site notes: crane inspected, rebar delayed.".getBytes());
        // the formats read through Apache Tika and OCR, as real files (the worker's regression corpus)
        java.nio.file.Path corpus = ServiceProcess.root().resolve("extraction-worker/src/test/resources/corpus");
        for (String file : List.of(
                "office/docx_word2010_various_tables_lists_footnotes.docx",
                "office/doc_word97_various_tables_lists_footnotes.doc",
                "office/xlsx_excel_simple_sheets.xlsx",
                "office/xls_excel97_simple_sheets.xls",
                "office/pptx_various_tables_lists_notes.pptx",
                "office/ppt_powerpoint97_various.ppt",
                "office/odt_libreoffice_odf13.odt",
                "office/ods_libreoffice_odf13.ods",
                "office/rtf_word2010_czech_unicode_escapes.rtf",
                "office/epub_simple.epub",
                "email/outlook_msg_with_pdf_attachment.msg",
                "image/ocr_printed_text_screenshot.png",
                "image/ocr_multipage_jpeg_compressed.tif")) {
            files.put(
                    java.nio.file.Path.of(file).getFileName().toString(),
                    java.nio.file.Files.readAllBytes(corpus.resolve(file)));
        }
        try (WsClient ws = WsClient.connect(
                gateway.url("/ws/progress?ticket=" + stack.wsTicket(user)).replace("http", "ws"))) {
            ws.send("{\"type\":\"subscribe\",\"all\":true}");
            assertEquals(
                    "subscribed",
                    Json.mapper().readTree(ws.next(WAIT)).get("type").asText());
            awaitGatewayAssigned(ws, user);
            Map<UUID, String> jobs = new java.util.LinkedHashMap<>();
            files.forEach((name, content) -> jobs.put(stack.upload(user, name, content), name));

            java.util.Set<UUID> done = new java.util.HashSet<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.containsAll(jobs.keySet()) && System.nanoTime() < deadline) {
                String message = ws.next(Duration.ofSeconds(5));
                if (message != null && message.contains("\"progress\":100") && message.contains("\"completed\"")) {
                    ProgressEvent event = Json.mapper()
                            .treeToValue(Json.mapper().readTree(message).get("event"), ProgressEvent.class);
                    done.add(event.jobId());
                }
            }
            for (var job : jobs.entrySet()) {
                assertTrue(done.contains(job.getKey()), job.getValue() + " completed and streamed");
                JsonNode view = stack.get(user, "/api/jobs/" + job.getKey());
                assertEquals("completed", view.get("status").asText(), job.getValue());
                assertEquals(job.getValue(), view.get("filename").asText());
            }
            UUID drawing = jobs.entrySet().stream()
                    .filter(e -> e.getValue().endsWith(".dxf"))
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            assertEquals(
                    "DWG-1042",
                    stack.get(user, "/api/jobs/" + drawing)
                            .at("/result/document/metadata/titleBlock/drawingNumber")
                            .asText());
            UUID scan = jobs.entrySet().stream()
                    .filter(e -> e.getValue().equals("scan.pdf"))
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            assertTrue(stack.get(user, "/api/jobs/" + scan)
                    .at("/result/document/textPreview")
                    .asText()
                    .contains("INVOICE"));
        }
    }

    @Test
    void jobsOfAWorkerKilledMidJobAreFinishedByAnother() throws Exception {
        // a slow worker that takes jobs and dies holding them
        ServiceProcess doomed = stack.startWorker("worker-doomed", Map.of("distill.extraction.offline.latency", "60s"));
        String user = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
            // one more job a second until one lands on the doomed worker's partitions
            await("the doomed worker took a job")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> {
                                stack.submit(
                                        user,
                                        "job " + submitted.getAndIncrement()
                                                + " for whichever worker owns its partition");
                                return stack.count(
                                        "select count(*) from extraction_jobs where user_id = ? and status = ? "
                                                + "and lease_owner like 'worker-doomed%'",
                                        user, JobStatus.PROCESSING.dbValue());
                            },
                            n -> n > 0);
        } finally {
            doomed.kill();
        }
        long orphaned =
                stack.count("select count(*) from extraction_jobs where user_id = ? and status = 'processing'", user);
        assertTrue(orphaned > 0, "the kill left jobs in processing");

        await("every job of the killed worker completed by the survivor")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> stack.count(
                                "select count(*) from extraction_jobs where user_id = ? and status <> 'completed'",
                                user),
                        n -> n == 0);
        assertEquals(
                stack.count("select count(*) from extraction_jobs where user_id = ?", user),
                stack.count(
                        "select count(*) from extraction_results r join extraction_jobs j on j.id = r.job_id where j.user_id = ?",
                        user),
                "exactly one result per job");
    }

    /** The gateway reads events from the end: wait until it has its partitions by watching a probe job. */
    private static void awaitGatewayAssigned(WsClient ws, String user) throws Exception {
        UUID probe = stack.submit(user, "probe");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String message = ws.next(Duration.ofSeconds(2));
            if (message != null && message.contains(probe.toString()) && message.contains("\"completed\"")) {
                return;
            }
            if (message == null
                    && "completed"
                            .equals(stack.get(user, "/api/jobs/" + probe)
                                    .get("status")
                                    .asText())) {
                probe = stack.submit(user, "probe");
            }
        }
        throw new AssertionError("the gateway never streamed a probe job");
    }
}
