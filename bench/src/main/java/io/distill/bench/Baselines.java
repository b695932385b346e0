package io.distill.bench;

import io.distill.testinfra.Db;
import io.distill.testinfra.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the machine and the real components allow, measured in the same run with their own tools. */
final class Baselines {
    private Baselines() {}

    record PgInsert(double tps, double p99Ms) {}

    record KafkaProducer(double recordsPerSecond, double p99Ms) {}

    record KafkaEndToEnd(double p50Ms, double p99Ms) {}

    /**
     * pgbench with a custom script: one single-row insert per transaction (the shape of a job
     * submission's row), {@code clients} connections, per-transaction latencies logged for p99.
     */
    static PgInsert pgbench(LocalPostgres pg, int clients, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("pgbench-");
        Path script = dir.resolve("insert.sql");
        Files.writeString(
                script,
                "insert into bench_insert (id, user_id, payload) values (gen_random_uuid(), 'bench', repeat('x', 400));\n");
        new Db(pg.jdbcUrl())
                .update(
                        "create table if not exists bench_insert (id uuid primary key, user_id text not null, payload text, "
                                + "created_at timestamptz not null default now())");
        String bin = pg.binDir().resolve("pgbench").toString();
        String out = Processes.run(
                List.of(
                        bin,
                        "-n",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(pg.port()),
                        "-U",
                        "postgres",
                        "-c",
                        String.valueOf(clients),
                        "-j",
                        String.valueOf(Math.min(clients, 2)),
                        "-T",
                        String.valueOf(seconds),
                        "-f",
                        script.toString(),
                        "-l",
                        "--log-prefix=" + dir.resolve("tx"),
                        "postgres"),
                Map.of(),
                seconds + 60L);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + out);
        }
        List<Double> latencies = new ArrayList<>();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("tx"))
                    .toList()) {
                for (String line : Files.readAllLines(log)) {
                    // client_id transaction_no time_us script_no time_epoch time_us
                    String[] f = line.split(" ");
                    latencies.add(Long.parseLong(f[2]) / 1000.0);
                }
            }
        }
        new Db(pg.jdbcUrl()).update("drop table bench_insert");
        return new PgInsert(
                Double.parseDouble(tps.group(1)), Latencies.of(latencies).p99());
    }

    /** Kafka's own producer-perf-test: 1 KiB records, acks=all, as fast as it goes. */
    static KafkaProducer kafkaProducer(String bootstrap, int records) throws Exception {
        String out = Processes.run(
                Processes.java(
                        "512m",
                        "org.apache.kafka.tools.ProducerPerformance",
                        "--topic",
                        "bench.producer",
                        "--num-records",
                        records,
                        "--record-size",
                        1024,
                        "--throughput",
                        -1,
                        "--producer-props",
                        "bootstrap.servers=" + bootstrap,
                        "acks=all"),
                Map.of(),
                300);
        Matcher m = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec .* (\\d+) ms 99th")
                .matcher(out);
        String last = null;
        while (m.find()) {
            last = m.group(0);
        }
        if (last == null) {
            throw new IllegalStateException("producer-perf-test printed no summary:\n" + out);
        }
        Matcher summary = Pattern.compile("records sent, ([0-9.]+) records/sec .* (\\d+) ms 99th")
                .matcher(last);
        summary.find();
        return new KafkaProducer(Double.parseDouble(summary.group(1)), Double.parseDouble(summary.group(2)));
    }

    /** Kafka's own end-to-end latency tool: produce one 1 KiB record (acks=all), consume it, repeat. */
    static KafkaEndToEnd kafkaEndToEnd(String bootstrap, int messages) throws Exception {
        String out = Processes.run(
                Processes.java(
                        "256m",
                        "org.apache.kafka.tools.EndToEndLatency",
                        bootstrap,
                        "bench.e2e",
                        messages,
                        "all",
                        1024),
                Map.of(),
                300);
        Matcher m = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("end-to-end-latency printed no percentiles:\n" + out);
        }
        return new KafkaEndToEnd(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }
}
