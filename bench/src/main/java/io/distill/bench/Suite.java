package io.distill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.Topics;
import io.distill.model.files.FormatDetector;
import io.distill.testinfra.Db;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;
import io.distill.testinfra.Resources;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;
import io.distill.worker.formats.FormatRegistry;
import io.distill.worker.formats.ocr.Ocr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The benchmark suite: baselines measured with the real components' own tools, then Distill's
 * figures on the same machine in the same run, each as a ratio to its baseline. It measures and
 * reports; it asserts nothing about speed.
 * <p>{@code java … Suite <full|smoke> <report.md> <report.json>}
 */
public final class Suite {

    /** How big each measurement is: {@link #FULL} for the published figures, {@link #SMOKE} so that none of them rots. */
    record Size(
            String name,
            int pgSeconds,
            int kafkaRecords,
            int e2eMessages,
            int pdfDocuments,
            int pdfPages,
            int ocrPages,
            int submitSeconds,
            int submitWarmupSeconds,
            int submitUsers,
            int pipelineJobs,
            int pickupJobs,
            long llmLatencyMs,
            int[] concurrencies,
            int llmSeconds,
            int rateLimit,
            int[] connections,
            int progressJobs,
            int scaleSeconds,
            int peerJobs,
            int peerSeconds) {}

    static final Size FULL = new Size(
            "full",
            15,
            200_000,
            1_000,
            40,
            10,
            12,
            15,
            150,
            100,
            1_000,
            200,
            2_000,
            new int[] {8, 32, 128, 256},
            30,
            20,
            new int[] {1_000, 10_000},
            60,
            40,
            4_000,
            300);
    static final Size SMOKE = new Size(
            "smoke", 2, 2_000, 50, 2, 2, 1, 2, 2, 5, 20, 10, 200, new int[] {4}, 3, 10, new int[] {20}, 5, 2, 200, 120);

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Path PROFILES = Path.of("target/bench-profiles");
    private final Size size;
    private final Report report = new Report();
    private LocalPostgres pg;
    private ServiceProcess kafka;
    private Stack stack;
    private Db db;
    private String bootstrap;
    /** Distill's own figures that the peers stand beside. */
    private double submitPeakRate;

    private double noopDrainRate;
    private Latencies noopPickup;
    private PdfTextBench.Result pdfText;

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
        report.context(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
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
        Resources.closeAll(stack, kafka, pg);
    }

    private void measureAll() throws Exception {
        Baselines.PgInsert pgInsert = Baselines.pgbench(pg, 8, size.pgSeconds());
        Baselines.KafkaProducer producer = Baselines.kafkaProducer(bootstrap, size.kafkaRecords());
        Baselines.KafkaEndToEnd kafkaE2e = Baselines.kafkaEndToEnd(bootstrap, size.e2eMessages());
        report.add(new Report.Figure(
                "Baselines",
                "PostgreSQL single-row insert (pgbench, 8 clients)",
                pgInsert.tps(),
                "tx/s",
                "",
                0,
                "",
                null,
                String.format(Locale.ROOT, "p99 %.2f ms", pgInsert.p99Ms())));
        report.add(new Report.Figure(
                "Baselines",
                "Kafka producer, 1 KiB, acks=all (producer-perf-test)",
                producer.recordsPerSecond(),
                "records/s",
                "",
                0,
                "",
                null,
                String.format(Locale.ROOT, "p99 %.0f ms at full speed", producer.p99Ms())));
        report.add(new Report.Figure(
                "Baselines",
                "Kafka end-to-end latency p50 (EndToEndLatency, 1 KiB, acks=all)",
                kafkaE2e.p50Ms(),
                "ms",
                "",
                0,
                "",
                null,
                String.format(Locale.ROOT, "p99 %.0f ms", kafkaE2e.p99Ms())));

        stack = new Stack(pg, bootstrap)
                .withEverywhere(Map.of(
                        "distill.rate-limit.submissions-per-minute", "100000000",
                        "distill.llm.daily-budget-usd", "100000",
                        "quarkus.log.category.\"io.distill\".level", "WARN"));
        System.setProperty(
                "distill.log-dir", Path.of("target/bench-logs").toAbsolutePath().toString());
        stack.startApi();
        double submitBaseline = Math.min(pgInsert.tps(), producer.recordsPerSecond());
        Map<String, Section> sections = new LinkedHashMap<>();
        sections.put("submit", () -> submit(submitBaseline));
        sections.put("pipeline", () -> pipeline(kafkaE2e));
        sections.put("llm", this::llmBound);
        sections.put("provider-limit", this::providerLimit);
        sections.put("progress", () -> progress(kafkaE2e));
        sections.put("text", this::textExtraction);
        sections.put("scale-out", this::scaleOut);
        sections.put("peers", this::peers);
        for (Map.Entry<String, Section> section : sections.entrySet()) {
            if (selected(section.getKey())) {
                section.getValue().run();
            }
        }
    }

    @FunctionalInterface
    private interface Section {
        void run() throws Exception;
    }

    /**
     * A section named in {@code bench.sections} (comma-separated; all when unset): while working on one figure, its
     * section alone. The published report runs them all.
     */
    private static boolean selected(String section) {
        String sections = System.getProperty("bench.sections", "");
        return sections.isBlank() || List.of(sections.split(",")).contains(section);
    }

    // --- 1. submit -------------------------------------------------------------------------------------------------

    private void submit(double baseline) throws Exception {
        String user = "bench-submit";
        String token = stack.token(user);
        String url = stack.api().url("/api/jobs");
        // warm-up, not measured: on two cores shared with the load, PostgreSQL and Kafka the API's rate climbs for
        // two to three minutes of this load (local stack, one user: ~580 jobs/s after 45 s, 1,030-1,350 after 2-3 min)
        loadGen(url, token, size.submitWarmupSeconds(), 32, 0, 0);
        long warmedUp = db.count("select count(*) from extraction_jobs where user_id = ?", user);
        CpuUse cpu = CpuUse.start(cpuGroups("API", stack.api().pid()));
        JsonNode peak = loadGen(url, token, size.submitSeconds(), 32, 0, clientWarmup());
        String peakCpu = cpu.stop();
        submitPeakRate = peak.get("rate").asDouble();
        JsonNode half =
                loadGen(url, token, size.submitSeconds(), 256, peak.get("rate").asDouble() / 2, clientWarmup());
        String section = "1. Submit (POST /api/jobs, load from a separate process)";
        report.add(new Report.Figure(
                section,
                "sustained rate, one user, 32 in flight",
                peak.get("rate").asDouble(),
                "jobs/s",
                "min(pgbench insert, Kafka producer)",
                baseline,
                "≥ 2000 jobs/s and ≥ 0.15",
                peak.get("rate").asDouble() >= 2_000 && peak.get("rate").asDouble() >= 0.15 * baseline,
                String.format(
                        Locale.ROOT,
                        "p50 %.1f ms, p99 %.1f ms at peak; from the load generator's start (its warm-up rounds and"
                                + " the measured run), %s; the load generator itself over the measured run %.2f, its"
                                + " JIT compiler %.2f (over its warm-up rounds of %d s, %s)",
                        peak.get("p50").asDouble(),
                        peak.get("p99").asDouble(),
                        peakCpu,
                        peak.get("cores").asDouble(),
                        peak.get("jitCores").asDouble(),
                        clientWarmup(),
                        peak.get("warmupJit").asText())));
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < size.submitUsers(); u++) {
            tokens.add(stack.token(user + "-" + u));
        }
        JsonNode many = loadGen(url, String.join(",", tokens), size.submitSeconds(), 32, 0, clientWarmup());
        report.add(new Report.Figure(
                section,
                "sustained rate, " + size.submitUsers() + " users, 32 in flight",
                many.get("rate").asDouble(),
                "jobs/s",
                "min(pgbench insert, Kafka producer)",
                baseline,
                "≥ 2000 jobs/s and ≥ 0.15",
                many.get("rate").asDouble() >= 2_000 && many.get("rate").asDouble() >= 0.15 * baseline,
                String.format(
                        Locale.ROOT,
                        "p50 %.1f ms, p99 %.1f ms",
                        many.get("p50").asDouble(),
                        many.get("p99").asDouble())));
        report.add(new Report.Figure(
                section,
                "p99 at half the peak rate (open loop)",
                half.get("p99").asDouble(),
                "ms",
                "",
                0,
                "≤ 50 ms",
                half.get("p99").asDouble() <= 50,
                String.format(
                        Locale.ROOT,
                        "%.0f jobs/s offered, %.0f jobs/s answered, p50 %.1f ms",
                        peak.get("rate").asDouble() / 2,
                        half.get("rate").asDouble(),
                        half.get("p50").asDouble())));
        // profiled last, in a run of its own: JFR's sampling took the API from ~600 to ~370 jobs/s on these two cores,
        // and the open loop run right after a recording missed its rate (7.7 s p99 at 783/s offered)
        Profiler.start(stack.api().pid(), "submit");
        JsonNode profiled = loadGen(url, token, Math.max(2, size.submitSeconds() / 2), 32, 0, 0);
        report.profile(
                String.format(
                        Locale.ROOT,
                        "1. Submit, one user, 32 in flight, after the other runs: the API (%.0f jobs/s while recorded)",
                        profiled.get("rate").asDouble()),
                Profiler.stop(stack.api().pid(), "submit", PROFILES, 12));
        // the load generator's own warm-ups were accepted and stored too
        long accepted = 0;
        for (JsonNode load : List.of(peak, profiled, half, many)) {
            accepted +=
                    load.get("accepted").asLong() + load.get("warmupAccepted").asLong();
        }
        long durable =
                db.count("select count(*) from extraction_jobs where user_id = ? or user_id like ?", user, user + "-%")
                        - warmedUp;
        report.add(new Report.Figure(
                section,
                "accepted jobs found durable in PostgreSQL",
                durable,
                "jobs",
                "accepted (202)",
                accepted,
                "= 1.00",
                durable == accepted,
                unanswered(peak, profiled, half, many)));
        // these were only for the API: keep them away from the workers measured next
        db.update(
                "update extraction_jobs set status = ? where (user_id = ? or user_id like ?) and status = ?",
                JobStatus.CANCELLED.dbValue(),
                user,
                user + "-%",
                JobStatus.PENDING.dbValue());
        rateLimitAcrossReplicas(section);
        dropQueuedMessages();
    }

    /**
     * Deletes the job messages the submit benchmarks left on the jobs topic (their jobs are cancelled
     * above): otherwise the first worker started next claims thousands of them in vain, and the
     * pipeline's figures (transactions per job, drain rate) count that work as its own.
     */
    private void dropQueuedMessages() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (db.count("select count(*) from outbox") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200); // the relay is still publishing the last submissions
        }
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var partitions =
                    admin
                            .describeTopics(List.of(Topics.JOBS))
                            .allTopicNames()
                            .get()
                            .get(Topics.JOBS)
                            .partitions()
                            .stream()
                            .map(p -> new org.apache.kafka.common.TopicPartition(Topics.JOBS, p.partition()))
                            .toList();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(p, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> upTo =
                    new java.util.HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((partition, end) -> upTo.put(
                            partition, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(end.offset())));
            admin.deleteRecords(upTo).all().get();
        }
    }

    /**
     * The per-user limit with two API replicas sharing the bucket: one user floods both at once; what
     * they accepted together against the bound README states ({@code burst + rate × (W + block-ttl)}).
     */
    private void rateLimitAcrossReplicas(String section) throws Exception {
        int perMinute = 600;
        int burst = 100;
        Map<String, String> limited = Map.of(
                "distill.rate-limit.submissions-per-minute",
                String.valueOf(perMinute),
                "distill.rate-limit.burst",
                String.valueOf(burst));
        List<ServiceProcess> replicas = List.of(
                stack.startApiReplica("api-limited-a", limited), stack.startApiReplica("api-limited-b", limited));
        try {
            String token = stack.token("bench-flood");
            int seconds = Math.max(3, size.submitSeconds() / 2);
            ExecutorService both = Executors.newFixedThreadPool(2);
            List<java.util.concurrent.Future<JsonNode>> runs = new ArrayList<>();
            for (ServiceProcess replica : replicas) {
                runs.add(both.submit(() -> loadGen(replica.url("/api/jobs"), token, seconds, 16, 0, 0)));
            }
            long accepted = 0;
            long limitedAnswers = 0;
            long retryAfter = 0;
            for (var run : runs) {
                JsonNode result = run.get();
                accepted += result.get("accepted").asLong();
                limitedAnswers += result.get("limited").asLong();
                retryAfter += result.get("retryAfter").asLong();
            }
            both.shutdown();
            double bound = burst + perMinute / 60.0 * (seconds + 2);
            report.add(new Report.Figure(
                    section,
                    "one user on 2 API replicas for " + seconds + " s at " + perMinute + "/min, burst " + burst
                            + ": accepted",
                    accepted,
                    "jobs",
                    "burst + rate × (W + block-ttl)",
                    bound,
                    "≤ 1.00 and 429s with Retry-After",
                    accepted <= bound && limitedAnswers > 0 && retryAfter == limitedAnswers,
                    String.format(
                            Locale.ROOT,
                            "%d refused with 429, %d of them with Retry-After",
                            limitedAnswers,
                            retryAfter)));
            db.update(
                    "update extraction_jobs set status = ? where user_id = ? and status = ?",
                    JobStatus.CANCELLED.dbValue(),
                    "bench-flood",
                    JobStatus.PENDING.dbValue());
        } finally {
            for (ServiceProcess replica : replicas) {
                replica.close();
            }
        }
    }

    /** Requests the load generator gave up waiting for (an answer lost between client and API). */
    private static String unanswered(JsonNode... loads) {
        long lost = 0;
        for (JsonNode load : loads) {
            lost += load.get("unanswered").asLong();
        }
        return lost == 0 ? "" : lost + " requests never answered";
    }

    /** Seconds each measured load runs unmeasured first, in the load generator's process: its own JIT warm-up. */
    private int clientWarmup() {
        return Math.max(1, size.submitSeconds() / 5);
    }

    private static JsonNode loadGen(String url, String token, int seconds, int concurrency, double rate, int warmup)
            throws Exception {
        String out = Processes.run(
                Processes.java(
                        "256m",
                        LoadGen.class.getName(),
                        url,
                        token,
                        seconds,
                        concurrency,
                        String.format(Locale.ROOT, "%.1f", rate),
                        warmup),
                Map.of(),
                seconds + (long) LoadGen.MOST_WARM_UP_ROUNDS * warmup + 120L);
        String line = out.lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
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
        double rate = number(wholeRun(user), "rate");
        noopDrainRate = rate;
        profileOverABacklog(
                worker,
                "pipeline",
                user + "-profiled",
                size.pipelineJobs(),
                "2. Pipeline, no-op extractor, another backlog after the measured one: the worker");
        report.add(new Report.Figure(
                "2. Pipeline, no-op extractor (offline, one worker)",
                "jobs/s end to end (backlog drained)",
                rate,
                "jobs/s",
                "",
                0,
                "",
                null,
                size.pipelineJobs() + " jobs, a fresh worker's first backlog"));
        double perJob = (double) commits / size.pipelineJobs();
        report.add(new Report.Figure(
                "2. Pipeline, no-op extractor (offline, one worker)",
                "database transactions per job",
                perJob,
                "tx",
                "",
                0,
                "≤ 4",
                perJob <= 4,
                "all committed transactions of the database while the backlog drained, divided by the jobs"));

        String live = "bench-pickup";
        stack.token(live);
        for (int i = 0; i < size.pickupJobs(); i++) {
            stack.submit(live, "Pickup probe " + i + ": revenue EUR 1,200.");
            Thread.sleep(50);
        }
        awaitDone(live, size.pickupJobs());
        Latencies pickup = Latencies.of(db
                .query(
                        "select extract(epoch from (started_at - created_at)) * 1000 as ms from extraction_jobs "
                                + "where user_id = ?",
                        live)
                .stream()
                .map(r -> ((Number) r.get("ms")).doubleValue())
                .toList());
        noopPickup = pickup;
        double bound = 2 * kafkaE2e.p50Ms() + 20;
        report.add(new Report.Figure(
                "2. Pipeline, no-op extractor (offline, one worker)",
                "pickup latency p50 (created → claimed)",
                pickup.p50(),
                "ms",
                "2 × Kafka e2e p50 + 20 ms",
                bound,
                "≤ 1.00",
                pickup.p50() <= bound,
                String.format(Locale.ROOT, "p99 %.0f ms; includes the outbox relay", pickup.p99())));
        worker.close();
    }

    /**
     * Records the worker with JFR over a backlog of {@code jobs} of its own, after the measured one and never during
     * it: a recording's start instruments the JDK's socket and file classes, and the worker at C = 256 recompiled what
     * had inlined them (its JIT at ~0.5 of a core through the measured half, ~0.15 without the recording). The
     * backlog comes while the worker runs, only as fast as the suite submits it.
     */
    private void profileOverABacklog(ServiceProcess worker, String recording, String user, int jobs, String title)
            throws Exception {
        Profiler.start(worker.pid(), recording);
        submitMany(user, jobs);
        awaitDone(user, jobs);
        report.profile(title, Profiler.stop(worker.pid(), recording, PROFILES, 12));
    }

    private long commits() {
        return ((Number) db.query("select sum(xact_commit) as c from pg_stat_database")
                        .get(0)
                        .get("c"))
                .longValue();
    }

    private void submitMany(String user, int jobs) throws Exception {
        stack.token(user);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < jobs; i++) {
            int n = i;
            pool.submit(() -> stack.submit(
                    user, "Benchmark document " + n + "\n\nQuarterly report: revenue EUR 1,200 on 2026-11-24."));
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
            if (db.count(
                            "select count(*) from extraction_jobs where user_id = ? and status in (?, ?, ?)",
                            user,
                            JobStatus.COMPLETED.dbValue(),
                            JobStatus.FAILED.dbValue(),
                            JobStatus.CANCELLED.dbValue())
                    >= jobs) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(user + ": jobs not done after " + WAIT);
    }

    private static Map<String, String> worker(Map<String, String> extra) {
        Map<String, String> props =
                new HashMap<>(Map.of("distill.sweeper.stuck-after", "10m", "distill.worker.lease-duration", "10s"));
        props.putAll(extra);
        return props;
    }

    // --- 3. LLM-bound ----------------------------------------------------------------------------------------------

    private Process stub(long latencyMs, double ratePerSecond) throws Exception {
        int port = Ports.free();
        Process stub =
                Processes.start(Processes.java("256m", LlmStub.class.getName(), port, latencyMs, 0, ratePerSecond));
        stubPort = port;
        stubPid = stub.pid();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return stub;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the LLM stub did not start");
    }

    private int stubPort;
    private long stubPid;

    /** The service measured, PostgreSQL, the Kafka broker, the LLM stub when one runs, and this process. */
    private Map<String, Supplier<Collection<Path>>> cpuGroups(String service, long pid) throws IOException {
        long postmaster = pg.serverPid();
        Map<String, Supplier<Collection<Path>>> groups = new LinkedHashMap<>();
        groups.put(service, () -> CpuUse.process(pid));
        // a fresh JVM compiles its hot path for minutes on two busy cores: what of the service's CPU that was
        groups.put("of which its JIT compiler", () -> CpuUse.threads(pid, CpuUse.JIT_THREADS));
        groups.put("its GC", () -> CpuUse.threads(pid, CpuUse.GC_THREADS));
        groups.put("PostgreSQL", () -> CpuUse.withChildren(postmaster));
        groups.put("Kafka", () -> CpuUse.process(kafka.pid()));
        if (stubPid > 0) {
            groups.put("LLM stub", () -> CpuUse.process(stubPid));
        }
        groups.put("bench suite", () -> CpuUse.process(ProcessHandle.current().pid()));
        return groups;
    }

    private Map<String, String> llmWorker(int concurrency) {
        return worker(Map.of(
                "distill.extraction.provider",
                "openai",
                "quarkus.langchain4j.openai.base-url",
                "http://127.0.0.1:" + stubPort + "/v1/",
                "quarkus.langchain4j.openai.api-key",
                "sk-bench",
                "smallrye.messaging.worker.pipeline.max-concurrency",
                String.valueOf(concurrency),
                // one stage thread per job in flight, and some to spare
                "distill.pipeline.stage-threads",
                String.valueOf(concurrency + 16)));
    }

    /**
     * An LLM-bound drain: jobs/s and mean non-model time (claim to completion minus LLM_EXTRACT), over the
     * steady state (see {@link #steadyState}) — not while a fresh worker's JIT compiles its pipeline (its first jobs
     * spend ~200 ms in LOAD and TEXT_EXTRACT, later ones 1-3 ms), waits for its partitions, or runs out of backlog
     * — and over the whole run. A run too short for a steady window reports the whole run.
     */
    record LlmRun(
            boolean steady,
            double rate,
            double nonModelMs,
            double stagesMs,
            double modelMs,
            String nonModelSpread,
            double wholeRate,
            double wholeNonModelMs,
            String waits,
            boolean warmedUp) {
        static final String STEADY = "steady state: whole rounds of completions (k × C) from the last worker's first"
                + " completion until a worker's last claim";
        static final String WARMED_UP = ", on workers that first drained another user's backlogs of as many jobs,"
                + " one after the other, until the first worker's JIT compiler used under " + CpuUse.JIT_SETTLED_CORES
                + " of a core over one (at most " + MOST_WARM_UP_ROUNDS + "; a warm-up)";

        String note(int jobs) {
            return String.format(
                    Locale.ROOT,
                    "%d jobs; %s; whole run %.2f jobs/s, %.0f ms non-model",
                    jobs,
                    (steady ? STEADY : "no steady window (too short): whole run") + (warmedUp ? WARMED_UP : ""),
                    wholeRate,
                    wholeNonModelMs);
        }
    }

    private LlmRun llmRun(String user, int concurrency, int jobs, int workers) throws Exception {
        return llmRun(user, concurrency, jobs, workers, Map.of(), null, true);
    }

    /**
     * @param profile when not null, the title under which the (first) worker's profile of the run is reported
     * @param warmUp whether another user's backlogs of as many jobs drain first on the same workers (see {@link
     *     #warmUp}), before the measured one is submitted: a fresh worker compiles its own hot path for minutes under
     *     this load on two shared cores, a long-lived worker does not. Not for a run bound by a provider limit that
     *     both users would share.
     */
    private LlmRun llmRun(
            String user,
            int concurrency,
            int jobs,
            int workers,
            Map<String, String> extra,
            String profile,
            boolean warmUp)
            throws Exception {
        String warmUpUser = user + "-warm-up";
        if (warmUp) {
            submitMany(warmUpUser, jobs);
        } else {
            submitMany(user, jobs);
        }
        List<ServiceProcess> started = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Map<String, String> props = new HashMap<>(llmWorker(concurrency));
            props.putAll(extra);
            started.add(stack.startWorker(user + "-w" + w, props));
        }
        String warmedUp = "";
        if (warmUp) {
            // drained before the measured backlog comes: a backlog queued behind it on every partition still ran
            // alongside it (a poll takes whole partitions' runs), and a worker then compiled through the measured half
            warmedUp = "; " + warmUp(started.get(0), warmUpUser, jobs);
            submitMany(user, jobs);
        }
        // the worker's waits and CPU are taken over the second half (the backlog still arriving in the first)
        awaitDone(user, jobs / 2);
        Map<String, double[]> halfway = waits(started.get(0));
        CpuUse cpu = CpuUse.start(cpuGroups("the first worker", started.get(0).pid()));
        awaitDone(user, jobs);
        String cpuNote = cpu.stop();
        Map<String, double[]> atEnd = waits(started.get(0));
        if (profile != null) {
            profileOverABacklog(started.get(0), user, user + "-profiled", jobs, profile);
        }
        String waits = waitsNote(halfway, atEnd) + "; over the second half, " + cpuNote + warmedUp;
        for (ServiceProcess w : started) {
            w.close();
        }
        Map<String, Object> steady = steadyState(user, concurrency * workers);
        Map<String, Object> whole = wholeRun(user);
        double wholeRate = number(whole, "rate");
        double wholeNonModel = number(whole, "non_model");
        // too short a run has no window, or one without a completion (smoke size): the whole run stands in
        if (!(number(steady, "rate") > 0) || Double.isNaN(number(steady, "non_model"))) {
            return new LlmRun(
                    false,
                    wholeRate,
                    wholeNonModel,
                    number(whole, "stages"),
                    number(whole, "model"),
                    String.valueOf(whole.get("spread")),
                    wholeRate,
                    wholeNonModel,
                    waits,
                    warmUp);
        }
        return new LlmRun(
                true,
                number(steady, "rate"),
                number(steady, "non_model"),
                number(steady, "stages"),
                number(steady, "model"),
                String.valueOf(steady.get("spread")),
                wholeRate,
                wholeNonModel,
                waits,
                warmUp);
    }

    private static final int MOST_WARM_UP_ROUNDS = 4;

    /**
     * Backlogs of {@code jobs} of the warm-up user's until the worker's JIT settles ({@link CpuUse#untilJitSettles}); the
     * first is already queued. Returns how the warm-up went, for the note.
     */
    private String warmUp(ServiceProcess worker, String warmUpUser, int jobs) throws Exception {
        List<String> jit = CpuUse.untilJitSettles(worker.pid(), MOST_WARM_UP_ROUNDS, backlog -> {
            if (backlog > 1) {
                submitMany(warmUpUser, jobs);
            }
            awaitDone(warmUpUser, backlog * jobs);
        });
        return String.format(
                Locale.ROOT,
                "warm-up: %d backlog(s) of %d jobs of another user, the worker's JIT compiler over each %s of a core",
                jit.size(),
                jobs,
                String.join(" / ", jit));
    }

    /** Completed jobs/s and mean non-model ms of all the user's jobs, over first claim to last completion. */
    private Map<String, Object> wholeRun(String user) {
        return db.query(
                        "select count(*) / greatest(0.001, extract(epoch from (max(completed_at) - min(started_at)))) as rate, "
                                + NON_MODEL + " as non_model, " + STAGES + " as stages, " + MODEL
                                + " as model, " + NON_MODEL_SPREAD
                                + " as spread from extraction_jobs where user_id = ? and status = ?",
                        user,
                        JobStatus.COMPLETED.dbValue())
                .get(0);
    }

    /**
     * Completed jobs/s and mean non-model ms while every job slot of every worker was busy: the user's completions
     * after the last worker's first completion (until then the completions are those of the workers that started
     * before it, one model latency behind its first claim) up to the first worker's last claim (its partitions ran
     * dry; the others go on alone), and the non-model time of the user's jobs claimed in that window. The rate is
     * taken over whole rounds: k × slots completions from the window's first, over the time they took. Slots that
     * started together complete together (at C = 8, eight completions every L), so a plain count over the window
     * would gain or lose a round at each end. The rate is null when the run was too
     * short for one round, and may be 0.
     */
    private Map<String, Object> steadyState(String user, int slots) {
        return db.query(
                        "with jobs_ as (select * from extraction_jobs where user_id = ? and status = ?), "
                                + "by_worker as (select t.lease_owner, min(t.at) filter (where t.to_status = 'completed') as first_done, "
                                + "max(t.at) filter (where t.to_status = 'processing') as last from job_state_transitions t "
                                + "join jobs_ on jobs_.id = t.job_id where t.to_status in ('processing', 'completed') "
                                + "group by t.lease_owner), "
                                + "window_ as (select max(first_done) as opened, min(last) as closed from by_worker), "
                                + "done as (select completed_at, row_number() over (order by completed_at) as i from jobs_, window_ "
                                + "where completed_at > opened and completed_at <= closed), "
                                + "rounds as (select (count(*) - 1) / ? * ? as n from done), "
                                + "claimed as (select " + NON_MODEL + " as non_model, " + STAGES + " as stages, "
                                + MODEL
                                + " as model, " + NON_MODEL_SPREAD + " as spread from jobs_, window_ "
                                + "where started_at between opened and closed) "
                                + "select case when n > 0 then n / nullif(extract(epoch from ((select completed_at from done "
                                + "where i = 1 + n) - (select completed_at from done where i = 1))), 0) end as rate, "
                                + "claimed.non_model, claimed.stages, claimed.model, claimed.spread from rounds, claimed",
                        user,
                        JobStatus.COMPLETED.dbValue(),
                        slots,
                        slots)
                .get(0);
    }

    private static final String JOB_NON_MODEL =
            "(extract(epoch from (completed_at - started_at)) * 1000 - (stage_timings ->> 'LLM_EXTRACT')::numeric)";
    private static final String NON_MODEL = "avg" + JOB_NON_MODEL;
    /** How the non-model time spreads over the jobs: a mean far above the median is a tail, not a cost per job. */
    private static final String NON_MODEL_SPREAD = "format('p50 %s, p90 %s, p99 %s, max %s ms', "
            + String.join(
                    ", ",
                    Stream.of(0.5, 0.9, 0.99)
                            .map(q -> "round((percentile_cont(" + q + ") within group (order by " + JOB_NON_MODEL
                                    + "))::numeric, 1)")
                            .toList())
            + ", round(max" + JOB_NON_MODEL + ", 1))";

    private static final String MODEL = "avg((stage_timings ->> 'LLM_EXTRACT')::numeric)";
    /** The stages timed before the completion besides the model's: the rest of the non-model time is between stages. */
    private static final String STAGES = "avg(coalesce((stage_timings ->> 'LOAD')::numeric, 0)"
            + " + coalesce((stage_timings ->> 'TEXT_EXTRACT')::numeric, 0)"
            + " + coalesce((stage_timings ->> 'VALIDATE')::numeric, 0))";

    private static double number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    private void llmBound() throws Exception {
        double latencySeconds = size.llmLatencyMs() / 1000.0;
        Process stub = stub(size.llmLatencyMs(), 0);
        try {
            int highest = size.concurrencies()[size.concurrencies().length - 1];
            for (int c : size.concurrencies()) {
                String user = "bench-llm-" + c;
                int jobs = (int) Math.ceil(c / latencySeconds * size.llmSeconds());
                LlmRun run = llmRun(
                        user,
                        c,
                        jobs,
                        1,
                        Map.of(),
                        c == highest
                                ? "3. LLM-bound at C = " + c
                                        + ": the worker, over another backlog after the measured one"
                                : null,
                        true);
                double rate = run.rate();
                double ideal = c / latencySeconds;
                double nonLlm = run.nonModelMs();
                String section = "3. LLM-bound (stub at L = " + size.llmLatencyMs() + " ms, one worker)";
                report.add(new Report.Figure(
                        section,
                        "jobs/s at C = " + c,
                        rate,
                        "jobs/s",
                        "C / L",
                        ideal,
                        "≥ 0.9",
                        rate >= 0.9 * ideal,
                        run.note(jobs)));
                report.add(new Report.Figure(
                        section,
                        "non-model time per job at C = " + c,
                        nonLlm,
                        "ms",
                        "",
                        0,
                        "≤ 20 ms",
                        nonLlm <= 20,
                        String.format(
                                Locale.ROOT,
                                "claim to completion, minus LLM_EXTRACT; %s; over the jobs %s; of which LOAD + TEXT_EXTRACT + VALIDATE %.1f ms;"
                                        + " LLM_EXTRACT itself %.0f ms, and a job slot turns over every %.0f ms (C / rate);"
                                        + " %s",
                                run.steady() ? "steady state" : "whole run",
                                run.nonModelSpread(),
                                run.stagesMs(),
                                run.modelMs(),
                                rate > 0 ? c / rate * 1000 : Double.NaN,
                                run.waits())));
            }
        } finally {
            stub.destroy();
        }
    }

    private void providerLimit() throws Exception {
        Process limited = stub(size.llmLatencyMs(), size.rateLimit());
        try {
            String user = "bench-llm-limited";
            int jobs = size.rateLimit() * size.llmSeconds();
            // two workers (capacity 2 × C / L, above the limit), one limiter between them (PostgreSQL), 5 % under the
            // provider's limit
            LlmRun run = llmRun(
                    user,
                    32,
                    jobs,
                    2,
                    Map.of(
                            "distill.llm.rate-limit.requests-per-second",
                            String.valueOf(0.95 * size.rateLimit()),
                            "distill.llm.rate-limit.burst",
                            "2"),
                    null,
                    false);
            double rate = run.rate();
            JsonNode stats = stubStats();
            double share = stats.get("limited").asDouble()
                    / Math.max(
                            1,
                            stats.get("limited").asDouble()
                                    + stats.get("served").asDouble());
            report.add(new Report.Figure(
                    "3. LLM-bound (stub at L = " + size.llmLatencyMs() + " ms, one worker)",
                    "jobs/s under a provider limit of " + size.rateLimit() + " req/s, 2 workers × C = 32",
                    rate,
                    "jobs/s",
                    "the limit",
                    size.rateLimit(),
                    "≥ 0.9 and ≤ 1 % 429s",
                    rate >= 0.9 * size.rateLimit() && share <= 0.01,
                    String.format(
                            Locale.ROOT,
                            "%.1f %% of requests answered 429; %.2f model calls per job; %s; LLM_EXTRACT (the limiter's"
                                    + " wait and the call) %.0f ms, non-model %.0f ms (%s); %s",
                            share * 100,
                            stats.get("served").asDouble() / jobs,
                            run.note(jobs),
                            run.modelMs(),
                            run.nonModelMs(),
                            run.nonModelSpread(),
                            run.waits())));
        } finally {
            limited.destroy();
        }
    }

    private JsonNode stubStats() throws Exception {
        return Json.read(get("http://127.0.0.1:" + stubPort + "/stats"), JsonNode.class);
    }

    private static String get(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    // --- 4. progress -----------------------------------------------------------------------------------------------

    private void progress(Baselines.KafkaEndToEnd kafkaE2e) throws Exception {
        ServiceProcess gateway = stack.startGateway(Ports.free(), "768m");
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
                // batches like the measured one warm every hop (connections, partition fetch sessions) until the
                // gateway's JIT settles: after one batch a third as large, its compiler took 0.28 of a core through
                // the measured jobs at 1,000 connections
                List<String> gatewayJit = CpuUse.untilJitSettles(gateway.pid(), MOST_WARM_UP_ROUNDS, batch -> {
                    for (int j = 0; j < size.progressJobs(); j++) {
                        stack.submit(names.get(j % users), "Warm-up " + batch + "." + j);
                        Thread.sleep(100);
                    }
                    for (String name : names) {
                        awaitDone(name, (int) db.count("select count(*) from extraction_jobs where user_id = ?", name));
                    }
                    Thread.sleep(2_000);
                });
                clients.latencies.clear();
                double[] lagBefore = kafkaHop(gateway);
                Map<String, Supplier<Collection<Path>>> busy = new LinkedHashMap<>();
                busy.put("worker", () -> CpuUse.process(worker.pid()));
                busy.put("API", () -> CpuUse.process(stack.api().pid()));
                busy.putAll(cpuGroups("gateway", gateway.pid()));
                CpuUse cpu = CpuUse.start(busy);
                for (int j = 0; j < size.progressJobs(); j++) {
                    stack.submit(names.get(j % users), "Progress probe " + j + ": revenue EUR 1,200 on 2026-11-24.");
                    Thread.sleep(100);
                }
                for (String name : names) {
                    awaitDone(name, (int) db.count("select count(*) from extraction_jobs where user_id = ?", name));
                }
                Thread.sleep(2_000);
                String cpuNote = cpu.stop();
                Latencies latency = Latencies.of(clients.latencies);
                double[] lagAfter = kafkaHop(gateway);
                double hopMs = (lagAfter[0] - lagBefore[0]) / Math.max(1, lagAfter[1] - lagBefore[1]) * 1000;
                String section = "4. Progress (worker publish → WebSocket client receive, one gateway)";
                report.add(new Report.Figure(
                        section,
                        "p50 at " + connections + " connections",
                        latency.p50(),
                        "ms",
                        "",
                        0,
                        "",
                        null,
                        String.format(
                                Locale.ROOT,
                                "%d deliveries to %d clients of %d users; of which worker → gateway (the Kafka hop, "
                                        + "gateway's distill.ws.events.lag) %.1f ms on average; while the jobs ran, %s"
                                        + " (the clients run in the bench suite); warm-up: %d batch(es) like the "
                                        + "measured one, until the gateway's JIT compiler used under %s of a core "
                                        + "over one (at most %d), over each %s",
                                latency.count(),
                                clients.size(),
                                users,
                                hopMs,
                                cpuNote,
                                gatewayJit.size(),
                                CpuUse.JIT_SETTLED_CORES,
                                MOST_WARM_UP_ROUNDS,
                                String.join(" / ", gatewayJit))));
                report.add(new Report.Figure(
                        section,
                        "p99 at " + connections + " connections",
                        latency.p99(),
                        "ms",
                        "Kafka e2e p99 + 50 ms",
                        kafkaE2e.p99Ms() + 50,
                        "≤ 1.00",
                        latency.p99() <= kafkaE2e.p99Ms() + 50,
                        ""));
                boolean atScale = connections >= 10_000;
                report.add(new Report.Figure(
                        section,
                        "gateway memory per idle connection at " + connections,
                        perConnection / 1024.0,
                        "KiB",
                        "",
                        0,
                        atScale ? "≤ 32 KiB" : "",
                        atScale ? perConnection <= 32 * 1024 : null,
                        "growth of the gateway's resident memory"));
            }
        }
        worker.close();
        gateway.close();
    }

    /** The gateway's event lag timer (worker publish → gateway read): its sum in seconds and its count. */
    private static double[] kafkaHop(ServiceProcess gateway) throws Exception {
        return timer(get(gateway.managementUrl("/q/metrics")), "distill_ws_events_lag_seconds", "");
    }

    /** A timer of a service's Prometheus page, the series whose labels contain {@code labels}: its sum in seconds and its count. */
    private static double[] timer(String metrics, String name, String labels) {
        double[] sumAndCount = new double[2];
        for (String line : metrics.split("\n")) {
            if (!line.contains(labels)) {
                continue;
            }
            if (line.startsWith(name + "_sum")) {
                sumAndCount[0] = sampleValue(line);
            } else if (line.startsWith(name + "_count")) {
                sumAndCount[1] = sampleValue(line);
            }
        }
        return sumAndCount;
    }

    /** The value of a sample line: {@code name{labels} value}, maybe followed by a timestamp or an exemplar. */
    private static double sampleValue(String line) {
        int labels = line.indexOf('{');
        int space = line.indexOf(' ');
        String rest = labels >= 0 && labels < space ? line.substring(line.indexOf('}') + 1) : line.substring(space);
        return Double.parseDouble(rest.trim().split("\\s+")[0]);
    }

    private static final List<String> ROW_WRITES = List.of("claim", "progress", "complete");
    private static final String PUBLISH = "publish";

    /** What the worker waited for so far, by write to the job row and for handing events over: sum in seconds and count. */
    private static Map<String, double[]> waits(ServiceProcess worker) throws Exception {
        String metrics = get(worker.managementUrl("/q/metrics"));
        Map<String, double[]> timers = new LinkedHashMap<>();
        for (String write : ROW_WRITES) {
            timers.put(write, timer(metrics, "distill_store_duration_seconds", "write=\"" + write + "\""));
        }
        timers.put(PUBLISH, timer(metrics, "distill_progress_publish_duration_seconds", ""));
        return timers;
    }

    /** Mean wait per write or event between two readings: where the non-model time goes besides the stages. */
    private static String waitsNote(Map<String, double[]> before, Map<String, double[]> after) {
        StringBuilder note = new StringBuilder(
                "the first worker's writes to the job row and progress events handed to Kafka, mean over the second half:");
        for (String write : after.keySet()) {
            double seconds = after.get(write)[0] - before.get(write)[0];
            long count = (long) (after.get(write)[1] - before.get(write)[1]);
            note.append(
                    String.format(Locale.ROOT, " %s %.1f ms (%d)", write, seconds / Math.max(1, count) * 1000, count));
        }
        return note.toString();
    }

    // --- 5. text extraction ----------------------------------------------------------------------------------------

    private void textExtraction() throws Exception {
        PdfTextBench.Result pdf = PdfTextBench.runInOwnJvm(size.pdfDocuments(), size.pdfPages(), 3);
        pdfText = pdf;
        report.add(new Report.Figure(
                "5. Text extraction",
                "TEXT_EXTRACT pages/s, one core",
                pdf.distillPagesPerSecond(),
                "pages/s",
                "plain PDFBox, one core",
                pdf.pdfboxPagesPerSecond(),
                "≥ 0.8",
                pdf.ratio() >= 0.8,
                pdf.pages() + " pages, both in a JVM of their own"));
        OcrBench.Result ocr = OcrBench.run(size.ocrPages());
        report.add(new Report.Figure(
                "5. Text extraction",
                "OCR pages/s, " + ocr.threads() + " threads",
                ocr.distillPagesPerSecond(),
                "pages/s",
                "tesseract alone (OMP_THREAD_LIMIT=1) × cores",
                ocr.tesseractPagesPerSecond() * ocr.threads(),
                "",
                null,
                ocr.pages() + " scanned pages; Distill renders each page at 300 dpi first"));
    }

    // --- 6. scale-out ----------------------------------------------------------------------------------------------

    private void scaleOut() throws Exception {
        double latencySeconds = size.llmLatencyMs() / 1000.0;
        int c = 8;
        int jobs = (int) Math.ceil(c / latencySeconds * size.scaleSeconds());
        Process stub = stub(size.llmLatencyMs(), 0);
        try {
            LlmRun oneWorker = llmRun("bench-scale-1", c, jobs, 1);
            LlmRun twoWorkers = llmRun("bench-scale-2", c, 2 * jobs, 2);
            double one = oneWorker.rate();
            double two = twoWorkers.rate();
            String section = "6. Scale-out (LLM-bound, C = 8 per worker, stub at L = " + size.llmLatencyMs() + " ms)";
            report.add(new Report.Figure(
                    section,
                    "two workers",
                    two,
                    "jobs/s",
                    "one worker",
                    one,
                    "≈ 2",
                    two >= 1.8 * one,
                    String.format(
                            Locale.ROOT,
                            "%s; whole run: %.2f vs %.2f jobs/s",
                            LlmRun.STEADY + LlmRun.WARMED_UP,
                            twoWorkers.wholeRate(),
                            oneWorker.wholeRate())));

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
            List<Long> completions = db
                    .query(
                            "select (extract(epoch from completed_at) * 1000)::bigint as t from extraction_jobs "
                                    + "where user_id = ? order by completed_at",
                            user)
                    .stream()
                    .map(r -> ((Number) r.get("t")).longValue())
                    .toList();
            report.add(new Report.Figure(
                    section,
                    "longest pause in completions after a worker joined",
                    maxGap(completions, joined, joined + 20_000),
                    "ms",
                    "L (one LLM call)",
                    size.llmLatencyMs(),
                    "",
                    null,
                    "the consumer group rebalances while jobs run"));
            Object firstByNew = db.query(
                            "select extract(epoch from min(t.at)) * 1000 as t from job_state_transitions t "
                                    + "join extraction_jobs j on j.id = t.job_id where j.user_id = ? and t.to_status = ? "
                                    + "and t.lease_owner like 'bench-rebalance-b%'",
                            user, JobStatus.COMPLETED.dbValue())
                    .get(0)
                    .get("t");
            if (firstByNew != null) {
                report.add(new Report.Figure(
                        section,
                        "joined worker's first completion, after it was ready",
                        ((Number) firstByNew).doubleValue() - joined,
                        "ms",
                        "L (one LLM call)",
                        size.llmLatencyMs(),
                        "",
                        null,
                        "partition assignment + one job"));
            } else {
                // a small backlog can drain before the second worker is up (the smoke size does)
                report.context("joined worker", "completed no job: the backlog was done before it joined");
            }
            report.add(new Report.Figure(
                    section,
                    "longest pause in completions after kill -9 of a worker",
                    maxGap(completions, killed, killed + 30_000),
                    "ms",
                    "lease duration",
                    10_000,
                    "",
                    null,
                    "the surviving worker keeps completing its own jobs"));
            Object recovered = db.query(
                            "select extract(epoch from max(completed_at)) * 1000 as t from extraction_jobs "
                                    + "where user_id = ? and lease_version >= 2",
                            user)
                    .get(0)
                    .get("t");
            if (recovered != null) {
                report.add(new Report.Figure(
                        section,
                        "killed worker's jobs all completed elsewhere, after the kill",
                        ((Number) recovered).doubleValue() - killed,
                        "ms",
                        "lease duration + L",
                        10_000 + size.llmLatencyMs(),
                        "",
                        null,
                        "their leases expire (10 s here), the sweeper re-enqueues them; they wait behind the backlog"));
            } else {
                report.context("killed worker", "held no job when it was killed");
            }
        } finally {
            stub.destroy();
        }
    }

    // --- 7. peers --------------------------------------------------------------------------------------------------

    /**
     * What a team would pick instead, on this machine in this run, each with its own client and
     * settings; Distill's figures from sections 1, 2 and 5 as ratios to theirs (below 1 for a
     * rate, above 1 for a latency: Distill behind).
     */
    private void peers() throws Exception {
        int concurrency = workerConcurrency();
        String queues = "7. Peers: job queues (no-op handler, concurrency " + concurrency
                + " as Distill's worker, same PostgreSQL)";
        for (Peers.QueuePeer peer :
                Peers.jobQueues(pg, size.peerJobs(), concurrency, Duration.ofSeconds(size.peerSeconds()))) {
            String note = peer.error() != null ? "**not measured**: " + peer.error() : peer.settings();
            report.add(new Report.Figure(
                    queues,
                    peer.label() + ": enqueue, one producer, 32 in flight, single adds",
                    submitPeakRate,
                    "jobs/s",
                    peer.name(),
                    peer.enqueuePerSecond(),
                    "",
                    null,
                    "Distill: POST /api/jobs, authenticated, outbox in the same transaction. " + note));
            report.add(new Report.Figure(
                    queues,
                    peer.label() + ": drain a backlog",
                    noopDrainRate,
                    "jobs/s",
                    peer.name(),
                    peer.drainPerSecond(),
                    "",
                    null,
                    size.peerJobs() + " jobs at the peer, " + size.pipelineJobs()
                            + " at Distill (claim, progress events, result row)"));
            report.add(new Report.Figure(
                    queues,
                    peer.label() + ": add → start p50",
                    noopPickup.p50(),
                    "ms",
                    peer.name(),
                    peer.latencyP50Ms(),
                    "",
                    null,
                    "lower is better; Distill: created → claimed, through the outbox relay and Kafka"));
            report.add(new Report.Figure(
                    queues,
                    peer.label() + ": add → start p99",
                    noopPickup.p99(),
                    "ms",
                    peer.name(),
                    peer.latencyP99Ms(),
                    "",
                    null,
                    "lower is better"));
        }

        String extraction =
                "7. Peers: text extraction (Apache Tika AutoDetectParser, its own JVM, one thread, OCR off)";
        Path dir = Files.createTempDirectory("tika-peer-");
        try {
            List<Path> generated = PdfTextBench.generateCorpus(dir, size.pdfDocuments(), size.pdfPages());
            Peers.TikaRun tika = Peers.tika(generated, 3, Duration.ofSeconds(size.peerSeconds()));
            int pages = size.pdfDocuments() * size.pdfPages();
            report.add(new Report.Figure(
                    extraction,
                    "PDF pages/s, generated text PDFs",
                    pdfText.distillPagesPerSecond(),
                    "pages/s",
                    "Tika " + tika.version(),
                    tika.error() == null ? pages / tika.bestSeconds() : Double.NaN,
                    "",
                    null,
                    tika.error() != null
                            ? "**Tika not measured**: " + tika.error()
                            : pages + " pages, best of 3 passes each"));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        realWorldCorpus(extraction);
    }

    /**
     * Characters per file of the regression corpus, Distill's TEXT_EXTRACT against Tika, by format
     * (images left out: both would only run OCR). Tika runs in its own JVM over the same files.
     */
    private void realWorldCorpus(String section) throws Exception {
        Path corpus = ServiceProcess.root()
                .resolve("extraction-worker/src/test/resources/corpus")
                .toAbsolutePath()
                .normalize();
        Map<Path, String> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(corpus)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    byte[] head = java.util.Arrays.copyOf(bytes, Math.min(bytes.length, FormatDetector.HEAD_BYTES));
                    String format = FormatDetector.detect(file.getFileName().toString(), head)
                            .id();
                    if (!format.equals("image")) {
                        files.put(file, format);
                    }
                } catch (io.distill.model.files.UnsupportedFileException notADocument) {
                    // SOURCES.md, expected.tsv
                }
            }
        }
        Peers.TikaRun tika = Peers.tika(List.copyOf(files.keySet()), 1, Duration.ofSeconds(size.peerSeconds()));
        FormatRegistry formats = FormatRegistry.standalone(new Ocr(null));
        Map<String, List<Double>> ratios = new java.util.TreeMap<>();
        List<String> differences = new ArrayList<>();
        for (var entry : files.entrySet()) {
            Path file = entry.getKey();
            Integer theirs = tika.chars().get(file);
            int ours;
            try {
                ours = PdfTextBench.distillChars(formats, entry.getValue(), file);
            } catch (Exception e) {
                differences.add(file.getFileName() + ": Distill refused (" + e.getMessage() + ")");
                continue;
            }
            if (theirs == null) {
                differences.add(file.getFileName() + ": Tika failed");
            } else if (theirs > 0) {
                ratios.computeIfAbsent(entry.getValue(), k -> new ArrayList<>()).add((double) ours / theirs);
            }
        }
        List<Double> all = ratios.values().stream().flatMap(List::stream).toList();
        StringBuilder byFormat = new StringBuilder();
        ratios.forEach((format, values) -> byFormat.append(String.format(
                Locale.ROOT,
                "%s%s %.2f (%d)",
                byFormat.isEmpty() ? "" : ", ",
                format,
                Latencies.of(values).p50(),
                values.size())));
        report.add(new Report.Figure(
                section,
                "characters per real-world file, median Distill / Tika",
                all.isEmpty() ? Double.NaN : Latencies.of(all).p50(),
                "×",
                "",
                0,
                "",
                null,
                tika.error() != null
                        ? "**Tika not measured**: " + tika.error()
                        : all.size() + " files of the regression corpus, by format: " + byFormat
                                + (differences.isEmpty() ? "" : "; " + String.join("; ", differences))));
    }

    /** The worker's pipeline concurrency, as its application.properties declares it. */
    private static int workerConcurrency() throws Exception {
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(
                ServiceProcess.root().resolve("extraction-worker/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties
                .getProperty("smallrye.messaging.worker.pipeline.max-concurrency")
                .strip());
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
