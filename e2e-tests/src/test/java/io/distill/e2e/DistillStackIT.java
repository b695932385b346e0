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
    /**
     * The acceptance of runs: of 200 jobs (120 pending, 50 failed with a provider error, 20 failed
     * validation, 10 held under an expired lease) a run started with {@code ./distill run}'s client
     * takes exactly 180, follows them over the WebSocket to the end, and its counters are what SQL
     * counts in the jobs and the typed tables.
     */
    @Test
    void aRunFromTheCommandLineTakesTheEligibleJobsAndCountsWhatTheyStored() throws Exception {
        String user = "runs-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        var db = stack.db();
        UUID project = UUID.randomUUID();
        db.update(
                "insert into projects (id, user_id, name, template) values (?, ?, 'news', 'news-event')",
                project,
                user);
        db.update(
                "insert into project_versions (project_id, version, user_id, definition) values (?, 1, ?, ?::jsonb)",
                project,
                user,
                Json.write(io.distill.model.projects.Templates.get("news-event")));
        // not due before the run takes them: pending with a retry tomorrow, an expired lease already re-enqueued
        db.update(
                "insert into extraction_jobs (id, user_id, source_kind, format, source_text, metadata, enqueued_at, "
                        + "next_retry_at, project_id, project_version, created_at) "
                        + "select gen_random_uuid(), ?, 'message', 'text', 'BREAKING: the central bank of region ' "
                        + "|| (g % 30) || ' cuts its deposit rate by 25 bp to 1.75%, effective 12 June.', "
                        + "jsonb_build_object('g', g), now(), now() + interval '1 day', ?, 1, now() - interval '1 minute' "
                        + "from generate_series(1, 200) g",
                user, project);
        db.update(
                "update extraction_jobs set status = 'failed', error_code = 'provider_error', next_retry_at = null, "
                        + "completed_at = now() where user_id = ? and (metadata->>'g')::int between 121 and 170",
                user);
        db.update(
                "update extraction_jobs set status = 'failed', error_code = 'validation_error', next_retry_at = null, "
                        + "completed_at = now() where user_id = ? and (metadata->>'g')::int between 171 and 190",
                user);
        db.update(
                "update extraction_jobs set status = 'processing', lease_owner = 'a-worker-that-died', lease_version = 1, "
                        + "lease_expires_at = now() - interval '1 minute', next_retry_at = null "
                        + "where user_id = ? and (metadata->>'g')::int > 190",
                user);
        stack.grantAdmin(admin);

        ProcessBuilder command = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "../scripts/DistillClient.java",
                        "run",
                        stack.api().url(""),
                        gateway.url("/ws/progress").replace("http", "ws"),
                        "--user",
                        user,
                        "--status",
                        "pending,failed,processing")
                .redirectErrorStream(true);
        command.environment().put("DISTILL_USER", admin);
        command.environment().put("DISTILL_PASSWORD", stack.password());
        Process cli = command.start();
        cli.getOutputStream().close();
        String output;
        try (var out = cli.getInputStream()) {
            output = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(cli.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), output);

        String runId = db.query("select id::text as id from extraction_runs where user_id = ?", user)
                .get(0)
                .get("id")
                .toString();
        Map<String, Object> run = db.query(
                        "select status, trigger_type, started_by, considered, processed, extracted, inserted, updated, "
                                + "points_inserted from extraction_runs where id = ?::uuid",
                        runId)
                .get(0);
        Map<String, Object> counted = db.query(
                        "select count(*)::int as taken, "
                                + "count(*) filter (where status in ('completed', 'failed', 'cancelled'))::int as processed, "
                                + "count(*) filter (where status = 'completed')::int as extracted, "
                                + "count(*) filter (where status = 'failed')::int as failed, "
                                + "(select count(*)::int from news_event_messages m join extraction_jobs k on k.id = m.job_id "
                                + "  where k.run_id = ?::uuid and m.action = 'create') as created, "
                                + "(select count(*)::int from news_event_messages m join extraction_jobs k on k.id = m.job_id "
                                + "  where k.run_id = ?::uuid and m.action = 'update') as routed "
                                + "from extraction_jobs where run_id = ?::uuid",
                        runId,
                        runId,
                        runId)
                .get(0);
        assertEquals(
                180, counted.get("taken"), "pending, retryable failures and expired leases; not validation failures");
        assertEquals(180, run.get("considered"));
        assertEquals(counted.get("processed"), run.get("processed"));
        assertEquals(180, run.get("processed"), output);
        assertEquals(counted.get("extracted"), run.get("extracted"));
        assertEquals(counted.get("created"), run.get("inserted"));
        assertEquals(counted.get("routed"), run.get("updated"));
        assertTrue(((Integer) run.get("inserted")) > 0 && ((Integer) run.get("updated")) > 0, run.toString());
        assertEquals(0, run.get("points_inserted"));
        assertEquals("cli", run.get("trigger_type"));
        assertEquals(admin, run.get("started_by"));
        int failed = (Integer) counted.get("failed");
        assertEquals(failed == 0 ? "succeeded" : "failed", run.get("status"));
        assertEquals(failed == 0 ? 0 : 1, cli.exitValue(), output);
        assertTrue(output.contains("run " + runId + " over 180 jobs of " + user), output);
        assertTrue(output.contains("run " + runId + " " + run.get("status")), output);
        assertEquals(
                20,
                stack.count(
                        "select count(*) from extraction_jobs where user_id = ? and run_id is null "
                                + "and status = 'failed' and error_code = 'validation_error'",
                        user),
                "validation failures are not tried again");
        assertEquals(
                runId,
                stack.get(admin, "/api/runs/latest?userId=" + user).get("id").asText());
    }

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
