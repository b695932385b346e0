package io.distill.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import io.distill.testinfra.Db;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A running Distill for end-to-end tests: real PostgreSQL, a Kafka bootstrap address, the API, and
 * workers and gateways started on demand, each a process of its own.
 */
final class Stack implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LocalPostgres pg;
    final Db db;
    private final String kafka;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private ServiceProcess api;

    Stack(LocalPostgres pg, String kafkaBootstrap) {
        this.pg = pg;
        this.db = new Db(pg.jdbcUrl());
        this.kafka = kafkaBootstrap;
    }

    Stack startApi() throws Exception {
        api = track(ServiceProcess.start("api-service", "api", Ports.free(), common())).awaitReady(WAIT);
        return this;
    }

    ServiceProcess api() {
        return api;
    }

    /** A worker named {@code name} (its lease owner prefix), with short leases and sweeps so tests recover quickly. */
    ServiceProcess startWorker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(common());
        props.put("distill.extraction.provider", "offline");
        props.put("distill.worker.lease-duration", "5s");
        props.put("distill.worker.lease-renew-interval", "1s");
        props.put("distill.sweeper.interval", "1s");
        props.put("distill.sweeper.stuck-after", "10s");
        props.put("distill.worker.id", name);
        props.putAll(extra);
        return track(ServiceProcess.start("extraction-worker", name, Ports.free(), props)).awaitReady(WAIT);
    }

    ServiceProcess startGateway() throws Exception {
        return track(ServiceProcess.start("ws-gateway", "gateway", Ports.free(), common())).awaitReady(WAIT);
    }

    UUID submit(String user, String text) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.url("/api/jobs")))
                            .header("Content-Type", "application/json").header("X-Distill-User", user)
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("text", text)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
            }
            return UUID.fromString(Json.mapper().readTree(r.body()).get("id").asText());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String user, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.url(path))).header("X-Distill-User", user).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    long count(String sql, Object... params) {
        return db.count(sql, params);
    }

    private Map<String, String> common() {
        return Map.of(
                "kafka.bootstrap.servers", kafka,
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    private ServiceProcess track(ServiceProcess process) {
        processes.add(process);
        return process;
    }

    @Override
    public void close() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
