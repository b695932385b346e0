package io.distill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;
import io.distill.testinfra.ServiceProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The systems a team would pick instead of Distill, run on the same machine in the same run, each
 * with its own client and recommended settings: job queues from npm (pg-boss and graphile-worker on
 * the bench's PostgreSQL, BullMQ on a Redis of its own) and Apache Tika's AutoDetectParser in a JVM
 * of its own. A peer that cannot be installed or started comes back as an error, never as a figure.
 */
final class Peers {
    private static final Path NODE_DIR = ServiceProcess.root().resolve("bench/peers/node");
    private static final Path TIKA_DIR = ServiceProcess.root().resolve("bench/peers/tika/target");

    private Peers() {}

    /** One job-queue peer's figures, or why there are none. */
    record QueuePeer(
            String name,
            String version,
            double enqueuePerSecond,
            double drainPerSecond,
            double latencyP50Ms,
            double latencyP99Ms,
            String settings,
            String error) {
        static QueuePeer failed(String name, String error) {
            return new QueuePeer(name, "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", error);
        }

        String label() {
            return error == null ? name + " " + version : name;
        }
    }

    /** Tika's figures over a list of files: the best timed pass and the characters per file of the last. */
    record TikaRun(
            String version, double bestSeconds, Map<Path, Integer> chars, Map<Path, String> errors, String error) {
        static TikaRun failed(String error) {
            return new TikaRun("", Double.NaN, Map.of(), Map.of(), error);
        }
    }

    /** pg-boss, graphile-worker and BullMQ: enqueue, drain and add → start latency with a no-op handler. */
    static List<QueuePeer> jobQueues(LocalPostgres pg, int jobs, int concurrency, Duration limit) {
        List<String> names = List.of("pg-boss", "graphile-worker", "bullmq");
        String installError = npmInstall();
        if (installError != null) {
            return names.stream()
                    .map(n -> QueuePeer.failed(n, "not installed: " + installError))
                    .toList();
        }
        String pgUrl = "postgres://postgres@127.0.0.1:" + pg.port() + "/postgres";
        List<QueuePeer> peers = new ArrayList<>();
        peers.add(queuePeer("pg-boss", "pgboss.mjs", pgUrl, jobs, concurrency, limit));
        peers.add(queuePeer("graphile-worker", "graphile.mjs", pgUrl, jobs, concurrency, limit));
        Process redis = null;
        try {
            int port = Ports.free();
            redis = startRedis(port);
            peers.add(queuePeer("bullmq", "bullmq.mjs", "redis://127.0.0.1:" + port, jobs, concurrency, limit));
        } catch (Exception e) {
            peers.add(QueuePeer.failed("bullmq", "Redis did not start: " + e.getMessage()));
        } finally {
            if (redis != null) {
                redis.destroy();
            }
        }
        return peers;
    }

    private static String npmInstall() {
        try {
            // the lock file pins every package; npm ci only reaches the npm registry
            Processes.run(
                    List.of(
                            "npm",
                            "ci",
                            "--no-audit",
                            "--no-fund",
                            "--loglevel=error",
                            "--prefix",
                            NODE_DIR.toString()),
                    Map.of(),
                    300);
            return null;
        } catch (Exception e) {
            return firstLine(e.getMessage());
        }
    }

    private static QueuePeer queuePeer(
            String name, String script, String url, int jobs, int concurrency, Duration limit) {
        List<String> command = List.of(
                "node",
                NODE_DIR.resolve(script).toString(),
                "--url",
                url,
                "--jobs",
                String.valueOf(jobs),
                "--concurrency",
                String.valueOf(concurrency),
                "--payload-bytes",
                "1024",
                "--in-flight",
                "32",
                "--time-limit-seconds",
                String.valueOf(limit.toSeconds()));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(limit.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return QueuePeer.failed(name, "did not finish within " + limit);
            }
            JsonNode result = Json.mapper().readTree(Processes.lastLine(new String(out, StandardCharsets.UTF_8)));
            if (result.has("error")) {
                return QueuePeer.failed(name, result.get("error").asText());
            }
            return new QueuePeer(
                    name,
                    result.get("version").asText(),
                    result.get("enqueuePerSecond").asDouble(),
                    result.get("drainPerSecond").asDouble(),
                    result.get("latencyP50Ms").asDouble(),
                    result.get("latencyP99Ms").asDouble(),
                    result.get("settings").asText(),
                    null);
        } catch (Exception e) {
            return QueuePeer.failed(name, "did not run: " + firstLine(e.getMessage()));
        }
    }

    private static Process startRedis(int port) throws Exception {
        // no persistence: a no-op queue benchmark, as BullMQ's own benchmarks run it
        Process redis = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--maxmemory-policy",
                        "noeviction")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return redis;
            } catch (IOException notYet) {
                if (!redis.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + redis.exitValue());
                }
                Thread.sleep(50);
            }
        }
        redis.destroyForcibly();
        throw new IllegalStateException("redis-server not listening after 20 s");
    }

    /** Tika's AutoDetectParser over {@code files}, one thread, in its own JVM: best of {@code rounds} timed passes. */
    static TikaRun tika(List<Path> files, int rounds, Duration limit) {
        Path classpath = TIKA_DIR.resolve("runtime.classpath");
        if (!Files.exists(classpath)) {
            return TikaRun.failed("not built: " + classpath + " is missing (mvn package builds bench/peers/tika)");
        }
        try {
            Path list = Files.createTempFile("tika-files-", ".txt");
            Files.write(list, files.stream().map(Path::toString).toList());
            List<String> command = List.of(
                    "java",
                    "-Xmx1g",
                    "-cp",
                    TIKA_DIR.resolve("classes") + ":"
                            + Files.readString(classpath).strip(),
                    "io.distill.bench.peers.tika.TikaPeer",
                    String.valueOf(rounds),
                    list.toString());
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return TikaRun.failed("did not finish within " + limit);
            }
            Files.delete(list);
            if (process.exitValue() != 0) {
                return TikaRun.failed("exit " + process.exitValue());
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return TikaRun.failed("did not run: " + firstLine(e.getMessage()));
        }
    }

    private static TikaRun parse(String out) {
        String version = "";
        double best = Double.MAX_VALUE;
        Map<Path, Integer> chars = new LinkedHashMap<>();
        Map<Path, String> errors = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "version" -> version = line.substring("version ".length()).replace("Apache Tika ", "");
                case "round" -> best = Math.min(best, Double.parseDouble(f[1]));
                case "file" -> chars.put(Path.of(f[2]), Integer.parseInt(f[1]));
                case "error" -> errors.put(Path.of(f[1]), f.length > 2 ? f[2] : "");
                default -> {}
            }
        }
        return best == Double.MAX_VALUE
                ? TikaRun.failed("printed no timed round")
                : new TikaRun(version, best, chars, errors, null);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.strip().split("\n")[0];
    }
}
