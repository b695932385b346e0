package io.distill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.testinfra.Db;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark suite: baselines measured with the real components' own tools, then Distill's
 * figures on the same machine in the same run, each as a ratio to its baseline. It measures and
 * reports; it asserts nothing about speed.
 * <p>{@code java … Suite <full|smoke> <report.md> <report.json>}
 */
public final class Suite {

    /** How big each measurement is: {@link #FULL} for the published figures, {@link #SMOKE} so that none of them rots. */
    record Size(String name, int pgSeconds, int kafkaRecords, int e2eMessages, int pdfDocuments, int pdfPages, int ocrPages,
                int submitSeconds, int pipelineJobs, int pickupJobs, long llmLatencyMs, int[] concurrencies, int llmSeconds,
                int rateLimit, int[] connections, int progressJobs, int scaleSeconds) {
    }

    static final Size FULL = new Size("full", 15, 200_000, 1_000, 40, 10, 12, 15, 1_000, 200, 2_000, new int[]{8, 32, 128}, 30,
            20, new int[]{1_000, 5_000}, 60, 40);
    static final Size SMOKE = new Size("smoke", 2, 2_000, 50, 2, 2, 1, 2, 20, 10, 200, new int[]{4}, 3, 10, new int[]{20}, 5, 8);

    private static final Duration WAIT = Duration.ofMinutes(5);
    private final Size size;
    private final Report report = new Report();
    private LocalPostgres pg;
    private ServiceProcess kafka;
    private Stack stack;
    private Db db;
    private String bootstrap;

    private Suite(Size size) {
        this.size = size;
    }

    public static void main(String[] args) throws Exception {
        Size size = args.length > 0 && args[0].equals("smoke") ? SMOKE : FULL;
        Path markdown = Path.of(args.length > 1 ? args[1] : "docs/benchmarks-latest.md");
        Path json = Path.of(args.length > 2 ? args[2] : "docs/benchmarks-latest.json");
        run(size).write(markdown, json);
        System.out.println("[bench] report: " + markdown.toAbsolutePath() + ", " + json.toAbsolutePath());
        System.exit(0);
    }

    static Report run(Size size) throws Exception {
        Suite suite = new Suite(size);
        long t0 = System.nanoTime();
        try {
            suite.start();
            suite.measureAll();
        } finally {
            suite.stop();
        }
        suite.report.context("suite duration", String.format(Locale.ROOT, "%.1f min", (System.nanoTime() - t0) / 60e9));
        return suite.report;
    }

    private void start() throws Exception {
        report.context("size", size.name());
        report.context("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        report.context("date", java.time.LocalDate.now());
        pg = LocalPostgres.start();
        db = new Db(pg.jdbcUrl());
        int port = Ports.free();
        Path kafkaData = Files.createTempDirectory("bench-kafka-");
        kafka = ServiceProcess.kafka(kafkaData, port, Ports.free()).awaitListening(Duration.ofSeconds(60));
        bootstrap = "127.0.0.1:" + port;
    }

    private void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{stack, kafka, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void measureAll() throws Exception {
        Baselines.PgInsert pgInsert = Baselines.pgbench(pg, 8, size.pgSeconds());
        Baselines.KafkaProducer producer = Baselines.kafkaProducer(bootstrap, size.kafkaRecords());
        Baselines.KafkaEndToEnd kafkaE2e = Baselines.kafkaEndToEnd(bootstrap, size.e2eMessages());
        report.add(new Report.Figure("Baselines", "PostgreSQL single-row insert (pgbench, 8 clients)", pgInsert.tps(), "tx/s", "", 0, "", null,
                String.format(Locale.ROOT, "p99 %.2f ms", pgInsert.p99Ms())));
        report.add(new Report.Figure("Baselines", "Kafka producer, 1 KiB, acks=all (producer-perf-test)", producer.recordsPerSecond(), "records/s",
                "", 0, "", null, String.format(Locale.ROOT, "p99 %.0f ms at full speed", producer.p99Ms())));
        report.add(new Report.Figure("Baselines", "Kafka end-to-end latency p50 (EndToEndLatency, 1 KiB, acks=all)", kafkaE2e.p50Ms(), "ms", "", 0,
                "", null, String.format(Locale.ROOT, "p99 %.0f ms", kafkaE2e.p99Ms())));

        stack = new Stack(pg, bootstrap).withEverywhere(Map.of(
                "distill.rate-limit.submissions-per-minute", "100000000",
                "distill.llm.daily-budget-usd", "100000",
                "quarkus.log.category.\"io.distill\".level", "WARN"));
        System.setProperty("distill.log-dir", Path.of("target/bench-logs").toAbsolutePath().toString());
        stack.startApi();
        submit(Math.min(pgInsert.tps(), producer.recordsPerSecond()));
        pipeline(kafkaE2e);
        llmBound();
        progress(kafkaE2e);
        textExtraction();
        scaleOut();
    }

    // --- 1. submit -------------------------------------------------------------------------------------------------

    private void submit(double baseline) throws Exception {
        String user = "bench-submit";
        String token = stack.token(user);
        String url = stack.api().url("/api/jobs");
        // warm-up, not measured: a cold JVM compiles its hot paths during the first seconds
        loadGen(url, token, Math.max(2, size.submitSeconds() / 2), 32, 0);
        long warmedUp = db.count("select count(*) from extraction_jobs where user_id = ?", user);
        JsonNode peak = loadGen(url, token, size.submitSeconds(), 32, 0);
        JsonNode half = loadGen(url, token, size.submitSeconds(), 256, peak.get("rate").asDouble() / 2);
        long accepted = peak.get("accepted").asLong() + half.get("accepted").asLong();
        long durable = db.count("select count(*) from extraction_jobs where user_id = ?", user) - warmedUp;
        report.add(new Report.Figure("1. Submit (POST /api/jobs, load from a separate process)", "sustained rate, 32 in flight",
                peak.get("rate").asDouble(), "jobs/s", "min(pgbench insert, Kafka producer)", baseline, "≥ 0.5",
                peak.get("rate").asDouble() >= 0.5 * baseline,
                String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms at peak", peak.get("p50").asDouble(), peak.get("p99").asDouble())));
        report.add(new Report.Figure("1. Submit (POST /api/jobs, load from a separate process)", "p99 at half the peak rate (open loop)",
                half.get("p99").asDouble(), "ms", "", 0, "≤ 50 ms", half.get("p99").asDouble() <= 50,
                String.format(Locale.ROOT, "%.0f jobs/s offered, p50 %.1f ms", half.get("rate").asDouble(), half.get("p50").asDouble())));
        report.add(new Report.Figure("1. Submit (POST /api/jobs, load from a separate process)", "accepted jobs found durable in PostgreSQL",
                durable, "jobs", "accepted (202)", accepted, "= 1.00", durable == accepted, ""));
        // these were only for the API: keep them away from the workers measured next
        db.update("update extraction_jobs set status = 'cancelled' where user_id = ? and status = 'pending'", user);
    }

    private static JsonNode loadGen(String url, String token, int seconds, int concurrency, double rate) throws Exception {
        String out = Processes.run(Processes.java("256m", LoadGen.class.getName(), url, token, seconds, concurrency,
                String.format(Locale.ROOT, "%.1f", rate)), Map.of(), seconds + 120L);
        String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("load generator printed no result:\n" + out));
        return Json.read(line, JsonNode.class);
    }

    // --- 2. pipeline with a no-op extractor -----------------------------------------------------------------------

    private void pipeline(Baselines.KafkaEndToEnd kafkaE2e) throws Exception {
        String user = "bench-pipeline";
        submitMany(user, size.pipelineJobs());
        long commitsBefore = commits();
        ServiceProcess worker = stack.startWorker("bench-noop", worker(Map.of()));
        awaitDone(user, size.pipelineJobs());
        long commits = commits() - commitsBefore;
        double rate = drainRate(user);
        report.add(new Report.Figure("2. Pipeline, no-op extractor (offline, one worker)", "jobs/s end to end (backlog drained)", rate,
                "jobs/s", "", 0, "", null, size.pipelineJobs() + " jobs"));
        double perJob = (double) commits / size.pipelineJobs();
        report.add(new Report.Figure("2. Pipeline, no-op extractor (offline, one worker)", "database transactions per job", perJob, "tx",
                "", 0, "≤ 6", perJob <= 6, "all committed transactions of the database while the backlog drained, divided by the jobs"));

        String live = "bench-pickup";
        stack.token(live);
        for (int i = 0; i < size.pickupJobs(); i++) {
            stack.submit(live, "Pickup probe " + i + ": revenue EUR 1,200.");
            Thread.sleep(50);
        }
        awaitDone(live, size.pickupJobs());
        Latencies pickup = Latencies.of(db.query("select extract(epoch from (started_at - created_at)) * 1000 as ms from extraction_jobs "
                + "where user_id = ?", live).stream().map(r -> ((Number) r.get("ms")).doubleValue()).toList());
        double bound = 2 * kafkaE2e.p50Ms() + 20;
        report.add(new Report.Figure("2. Pipeline, no-op extractor (offline, one worker)", "pickup latency p50 (created → claimed)", pickup.p50(),
                "ms", "2 × Kafka e2e p50 + 20 ms", bound, "≤ 1.00", pickup.p50() <= bound,
                String.format(Locale.ROOT, "p99 %.0f ms; includes the outbox relay", pickup.p99())));
        worker.close();
    }

    private long commits() {
        return ((Number) db.query("select sum(xact_commit) as c from pg_stat_database").get(0).get("c")).longValue();
    }

    private double drainRate(String user) {
        Map<String, Object> r = db.query("select count(*) as n, extract(epoch from (max(completed_at) - min(started_at))) as s "
                + "from extraction_jobs where user_id = ? and status = 'completed'", user).get(0);
        return ((Number) r.get("n")).doubleValue() / Math.max(0.001, ((Number) r.get("s")).doubleValue());
    }

    private void submitMany(String user, int jobs) throws Exception {
        stack.token(user);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < jobs; i++) {
            int n = i;
            pool.submit(() -> stack.submit(user, "Benchmark document " + n + "\n\nQuarterly report: revenue EUR 1,200 on 2026-11-24."));
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("submitting " + jobs + " jobs took too long");
        }
        // the outbox relay has put every job on Kafka before a worker starts
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (db.count("select count(*) from outbox") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void awaitDone(String user, int jobs) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (db.count("select count(*) from extraction_jobs where user_id = ? and status in ('completed', 'failed', 'cancelled')", user) >= jobs) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(user + ": jobs not done after " + WAIT);
    }

    private static Map<String, String> worker(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("distill.sweeper.stuck-after", "10m", "distill.worker.lease-duration", "10s"));
        props.putAll(extra);
        return props;
    }

    // --- 3. LLM-bound ----------------------------------------------------------------------------------------------

    private Process stub(long latencyMs, double ratePerSecond) throws Exception {
        int port = Ports.free();
        Process stub = Processes.start(Processes.java("256m", LlmStub.class.getName(), port, latencyMs, 0, ratePerSecond));
        stubPort = port;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return stub;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the LLM stub did not start");
    }

    private int stubPort;

    private Map<String, String> llmWorker(int concurrency) {
        return worker(Map.of("distill.extraction.provider", "openai",
                "quarkus.langchain4j.openai.base-url", "http://127.0.0.1:" + stubPort + "/v1/",
                "quarkus.langchain4j.openai.api-key", "sk-bench",
                "smallrye.messaging.worker.pipeline.max-concurrency", String.valueOf(concurrency),
                "quarkus.rest-client.connection-pool-size", String.valueOf(Math.max(50, concurrency * 2))));
    }

    private double llmRun(String user, int concurrency, int jobs, int workers) throws Exception {
        return llmRun(user, concurrency, jobs, workers, Map.of());
    }

    private double llmRun(String user, int concurrency, int jobs, int workers, Map<String, String> extra) throws Exception {
        submitMany(user, jobs);
        List<ServiceProcess> started = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Map<String, String> props = new HashMap<>(llmWorker(concurrency));
            props.putAll(extra);
            started.add(stack.startWorker(user + "-w" + w, props));
        }
        awaitDone(user, jobs);
        for (ServiceProcess w : started) {
            w.close();
        }
        return drainRate(user);
    }

    private void llmBound() throws Exception {
        double latencySeconds = size.llmLatencyMs() / 1000.0;
        Process stub = stub(size.llmLatencyMs(), 0);
        try {
            for (int c : size.concurrencies()) {
                String user = "bench-llm-" + c;
                int jobs = (int) Math.ceil(c / latencySeconds * size.llmSeconds());
                double rate = llmRun(user, c, jobs, 1);
                double ideal = c / latencySeconds;
                Map<String, Object> overhead = db.query("select avg(extract(epoch from (completed_at - started_at)) * 1000) as total, "
                        + "avg((stage_timings ->> 'LLM_EXTRACT')::numeric) as llm from extraction_jobs where user_id = ?", user).get(0);
                double nonLlm = ((Number) overhead.get("total")).doubleValue() - ((Number) overhead.get("llm")).doubleValue();
                report.add(new Report.Figure("3. LLM-bound (stub at L = " + size.llmLatencyMs() + " ms, one worker)", "jobs/s at C = " + c, rate,
                        "jobs/s", "C / L", ideal, "≥ 0.9", rate >= 0.9 * ideal,
                        String.format(Locale.ROOT, "%d jobs; non-LLM time per job %.0f ms", jobs, nonLlm)));
            }
        } finally {
            stub.destroy();
        }
        Process limited = stub(size.llmLatencyMs(), size.rateLimit());
        try {
            String user = "bench-llm-limited";
            int jobs = size.rateLimit() * size.llmSeconds();
            // two workers (capacity 2 × C / L, above the limit), one limiter between them (PostgreSQL), 5 % under the provider's limit
            double rate = llmRun(user, 32, jobs, 2, Map.of("distill.llm.rate-limit.requests-per-second",
                    String.valueOf(0.95 * size.rateLimit()), "distill.llm.rate-limit.burst", "2"));
            JsonNode stats = stubStats();
            double share = stats.get("limited").asDouble() / Math.max(1, stats.get("limited").asDouble() + stats.get("served").asDouble());
            report.add(new Report.Figure("3. LLM-bound (stub at L = " + size.llmLatencyMs() + " ms, one worker)",
                    "jobs/s under a provider limit of " + size.rateLimit() + " req/s, 2 workers × C = 32", rate, "jobs/s", "the limit", size.rateLimit(),
                    "≥ 0.9 and ≤ 1 % 429s", rate >= 0.9 * size.rateLimit() && share <= 0.01,
                    String.format(Locale.ROOT, "%.1f %% of requests answered 429", share * 100)));
        } finally {
            limited.destroy();
        }
    }

    private JsonNode stubStats() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + stubPort + "/stats")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return Json.read(response.body(), JsonNode.class);
    }

    // --- 4. progress -----------------------------------------------------------------------------------------------

    private void progress(Baselines.KafkaEndToEnd kafkaE2e) throws Exception {
        ServiceProcess gateway = stack.startGateway();
        ServiceProcess worker = stack.startWorker("bench-progress", worker(Map.of()));
        String socket = gateway.url("/ws/progress?ticket=").replace("http", "ws");
        for (int connections : size.connections()) {
            int users = Math.max(1, connections / 100);
            List<String> names = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                names.add("bench-ws-" + connections + "-" + u);
                stack.token(names.get(u));
            }
            System.gc();
            long before = gateway.residentKiB();
            try (ProgressClients clients = new ProgressClients()) {
                for (int i = 0; i < connections; i++) {
                    clients.connect(socket + stack.wsTicket(names.get(i % users)));
                }
                Thread.sleep(3_000);
                long perConnection = (gateway.residentKiB() - before) * 1024 / connections;
                // warm-up: the gateway reads from the end of the topic once its partitions are assigned
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (clients.received.get() == 0 && System.nanoTime() < deadline) {
                    stack.submit(names.get(0), "warm-up");
                    Thread.sleep(1_000);
                }
                // a first batch warms every hop (JIT, connections, partition fetch sessions); not measured
                for (int j = 0; j < Math.max(5, size.progressJobs() / 3); j++) {
                    stack.submit(names.get(j % users), "Warm-up " + j);
                    Thread.sleep(100);
                }
                for (String name : names) {
                    awaitDone(name, (int) db.count("select count(*) from extraction_jobs where user_id = ?", name));
                }
                Thread.sleep(2_000);
                clients.latencies.clear();
                for (int j = 0; j < size.progressJobs(); j++) {
                    stack.submit(names.get(j % users), "Progress probe " + j + ": revenue EUR 1,200 on 2026-11-24.");
                    Thread.sleep(100);
                }
                for (String name : names) {
                    awaitDone(name, (int) db.count("select count(*) from extraction_jobs where user_id = ?", name));
                }
                Thread.sleep(2_000);
                Latencies latency = Latencies.of(clients.latencies);
                String section = "4. Progress (worker publish → WebSocket client receive, one gateway)";
                report.add(new Report.Figure(section, "p50 at " + connections + " connections", latency.p50(), "ms", "", 0, "", null,
                        latency.count() + " deliveries to " + clients.size() + " clients of " + users + " users"));
                report.add(new Report.Figure(section, "p99 at " + connections + " connections", latency.p99(), "ms",
                        "Kafka e2e p99 + 50 ms", kafkaE2e.p99Ms() + 50, connections <= 1_000 ? "≤ 1.00" : "", connections <= 1_000
                        ? latency.p99() <= kafkaE2e.p99Ms() + 50 : null, ""));
                report.add(new Report.Figure(section, "gateway memory per idle connection at " + connections, perConnection / 1024.0, "KiB",
                        "", 0, "≤ 64 KiB", perConnection <= 64 * 1024, "growth of the gateway's resident memory"));
            }
        }
        worker.close();
        gateway.close();
    }

    // --- 5. text extraction ----------------------------------------------------------------------------------------

    private void textExtraction() throws Exception {
        PdfTextBench.Result pdf = PdfTextBench.run(size.pdfDocuments(), size.pdfPages(), 3);
        report.add(new Report.Figure("5. Text extraction", "TEXT_EXTRACT pages/s, one core", pdf.distillPagesPerSecond(), "pages/s",
                "plain PDFBox, one core", pdf.pdfboxPagesPerSecond(), "≥ 0.8", pdf.ratio() >= 0.8, pdf.pages() + " pages"));
        OcrBench.Result ocr = OcrBench.run(size.ocrPages());
        report.add(new Report.Figure("5. Text extraction", "OCR pages/s, " + ocr.threads() + " threads", ocr.distillPagesPerSecond(), "pages/s",
                "tesseract alone (OMP_THREAD_LIMIT=1) × cores", ocr.tesseractPagesPerSecond() * ocr.threads(), "", null,
                ocr.pages() + " scanned pages; Distill renders each page at 300 dpi first"));
    }

    // --- 6. scale-out ----------------------------------------------------------------------------------------------

    private void scaleOut() throws Exception {
        double latencySeconds = size.llmLatencyMs() / 1000.0;
        int c = 8;
        int jobs = (int) Math.ceil(c / latencySeconds * size.scaleSeconds());
        Process stub = stub(size.llmLatencyMs(), 0);
        try {
            double one = llmRun("bench-scale-1", c, jobs, 1);
            double two = llmRun("bench-scale-2", c, 2 * jobs, 2);
            String section = "6. Scale-out (LLM-bound, C = 8 per worker, stub at L = " + size.llmLatencyMs() + " ms)";
            report.add(new Report.Figure(section, "two workers", two, "jobs/s", "one worker", one, "≈ 2", two >= 1.8 * one, ""));

            String user = "bench-rebalance";
            submitMany(user, 3 * jobs);
            ServiceProcess first = stack.startWorker("bench-rebalance-a", llmWorker(c));
            Thread.sleep(size.scaleSeconds() * 250L);
            ServiceProcess second = stack.startWorker("bench-rebalance-b", llmWorker(c));
            long joined = System.currentTimeMillis();
            Thread.sleep(size.scaleSeconds() * 250L);
            long killed = System.currentTimeMillis();
            second.kill();
            awaitDone(user, 3 * jobs);
            first.close();
            List<Long> completions = db.query("select (extract(epoch from completed_at) * 1000)::bigint as t from extraction_jobs "
                    + "where user_id = ? order by completed_at", user).stream().map(r -> ((Number) r.get("t")).longValue()).toList();
            report.add(new Report.Figure(section, "longest pause in completions after a worker joined", maxGap(completions, joined, joined + 20_000),
                    "ms", "L (one LLM call)", size.llmLatencyMs(), "", null, "the consumer group rebalances while jobs run"));
            Object firstByNew = db.query("select extract(epoch from min(t.at)) * 1000 as t from job_state_transitions t "
                    + "join extraction_jobs j on j.id = t.job_id where j.user_id = ? and t.to_status = 'completed' "
                    + "and t.lease_owner like 'bench-rebalance-b%'", user).get(0).get("t");
            if (firstByNew != null) {
                report.add(new Report.Figure(section, "joined worker's first completion, after it was ready",
                        ((Number) firstByNew).doubleValue() - joined, "ms", "L (one LLM call)", size.llmLatencyMs(), "", null,
                        "partition assignment + one job"));
            } else {
                // a small backlog can drain before the second worker is up (the smoke size does)
                report.context("joined worker", "completed no job: the backlog was done before it joined");
            }
            report.add(new Report.Figure(section, "longest pause in completions after kill -9 of a worker", maxGap(completions, killed, killed + 30_000),
                    "ms", "lease duration", 10_000, "", null, "the surviving worker keeps completing its own jobs"));
            Object recovered = db.query("select extract(epoch from max(completed_at)) * 1000 as t from extraction_jobs "
                    + "where user_id = ? and lease_version >= 2", user).get(0).get("t");
            if (recovered != null) {
                report.add(new Report.Figure(section, "killed worker's jobs all completed elsewhere, after the kill",
                        ((Number) recovered).doubleValue() - killed, "ms", "lease duration + L", 10_000 + size.llmLatencyMs(), "", null,
                        "their leases expire (10 s here), the sweeper re-enqueues them; they wait behind the backlog"));
            } else {
                report.context("killed worker", "held no job when it was killed");
            }
        } finally {
            stub.destroy();
        }
    }

    /** The longest interval between consecutive completions that overlaps [from, to]. */
    static double maxGap(List<Long> completions, long from, long to) {
        long previous = from;
        long longest = 0;
        for (long t : completions) {
            if (t < from) {
                continue;
            }
            if (t > to) {
                longest = Math.max(longest, Math.min(t, to) - previous);
                break;
            }
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return longest;
    }
}
