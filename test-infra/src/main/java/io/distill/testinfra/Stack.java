package io.distill.testinfra;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
public final class Stack implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(90);
    // HTTP/1.1: parallel requests on parallel connections, as browsers and load balancers send them (h2c would
    // multiplex everything onto one connection and one server event loop)
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final String PASSWORD = "e2e password, long enough";

    public final LocalPostgres pg;
    public final Db db;
    private final String kafka;
    private final Path keyDir;
    private final Path storageDir;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    private ServiceProcess api;

    private final Map<String, String> storage = new HashMap<>();

    public Stack(LocalPostgres pg, String kafkaBootstrap) throws java.io.IOException {
        this.pg = pg;
        this.db = new Db(pg.jdbcUrl());
        this.kafka = kafkaBootstrap;
        // empty: the API generates the local issuer's key pair here at first start
        this.keyDir = java.nio.file.Files.createTempDirectory("distill-e2e-keys-");
        // the upload directory the API writes and the workers read (a shared volume in production)
        this.storageDir = java.nio.file.Files.createTempDirectory("distill-e2e-files-");
        storage.put("distill.storage.local.root", storageDir.toString());
    }

    /** Settings every service of this stack gets (call before starting services). */
    public Stack withEverywhere(Map<String, String> settings) {
        storage.putAll(settings);
        return this;
    }

    /** Uploads go to this S3-compatible server instead of the shared directory (call before starting services). */
    public Stack withS3(io.distill.testinfra.S3Local s3) {
        storage.put("distill.storage.kind", "s3");
        storage.put("distill.storage.s3.endpoint", s3.endpoint());
        storage.put("distill.storage.s3.bucket", "distill-e2e");
        storage.put("distill.storage.s3.access-key", io.distill.testinfra.S3Local.ACCESS_KEY);
        storage.put("distill.storage.s3.secret-key", io.distill.testinfra.S3Local.SECRET_KEY);
        storage.put("distill.storage.s3.create-bucket", "true");
        return this;
    }

    /** The API, as the application role under row-level security; it migrates the schema as the owner. */
    public Stack startApi() throws Exception {
        return startApi(Map.of());
    }

    public Stack startApi(Map<String, String> extra) throws Exception {
        api = track(ServiceProcess.start("api-service", "api", Ports.free(), apiProps(extra)))
                .awaitReady(WAIT);
        return this;
    }

    /** Another API replica on the same database, keys and broker (with its own settings on top), e.g. to share a limit. */
    public ServiceProcess startApiReplica(String name, Map<String, String> extra) throws Exception {
        return track(ServiceProcess.start("api-service", name, Ports.free(), apiProps(extra)))
                .awaitReady(WAIT);
    }

    private Map<String, String> apiProps(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(common(LocalPostgres.APP_ROLE));
        props.put("quarkus.flyway.username", "postgres");
        props.put("quarkus.flyway.password", "postgres");
        props.put("distill.auth.key-dir", keyDir.toString());
        props.put("distill.auth.open-registration", "true");
        // every e2e user signs up from 127.0.0.1
        props.put("distill.auth.throttle.registrations-per-address", "100000");
        props.put("distill.auth.throttle.failures-per-address", "100000");
        props.put("quarkus.datasource.\"admin\".username", LocalPostgres.ADMIN_ROLE);
        props.put("quarkus.datasource.\"admin\".password", LocalPostgres.ADMIN_ROLE);
        props.putAll(extra);
        return props;
    }

    public ServiceProcess api() {
        return api;
    }

    /** Where the API keeps the local issuer's key pair (a test may sign tokens with it: {@link TokenForge#at}). */
    public Path keyDir() {
        return keyDir;
    }

    /** A worker named {@code name} (its lease owner prefix), with short leases and sweeps so tests recover quickly. */
    public ServiceProcess startWorker(String name, Map<String, String> extra) throws Exception {
        // workers serve every user: in production a BYPASSRLS role, here the owner
        Map<String, String> props = new HashMap<>(common("postgres"));
        props.put("distill.extraction.provider", "offline");
        props.put("distill.worker.lease-duration", "5s");
        props.put("distill.worker.lease-renew-interval", "1s");
        props.put("distill.sweeper.interval", "1s");
        props.put("distill.sweeper.stuck-after", "10s");
        props.put("distill.worker.id", name);
        props.putAll(extra);
        return track(ServiceProcess.start("extraction-worker", name, Ports.free(), props))
                .awaitReady(WAIT);
    }

    public ServiceProcess startGateway() throws Exception {
        return startGateway(Ports.free());
    }

    public ServiceProcess startGateway(int port) throws Exception {
        return startGateway(port, ServiceProcess.DEFAULT_HEAP);
    }

    /** A gateway with its own heap size (many connections need more). */
    public ServiceProcess startGateway(int port, String heap) throws Exception {
        Map<String, String> props = new HashMap<>(common(LocalPostgres.APP_ROLE));
        props.put("distill.auth.key-dir", keyDir.toString());
        return track(ServiceProcess.start("ws-gateway", "gateway", port, props, heap))
                .awaitReady(WAIT);
    }

    /** Signs the user up and in through the API's local issuer (once) and returns the access token. */
    public String token(String user) {
        return tokens.computeIfAbsent(user, u -> {
            String credentials = Json.write(Map.of("username", u, "password", PASSWORD));
            post("/api/auth/register", null, credentials);
            return read(post("/api/auth/token", null, credentials), 200)
                    .get("accessToken")
                    .asText();
        });
    }

    /** Makes the (signed-up) user an admin, as an operator does with {@code ./distill admin}; effective at its next sign-in. */
    public void grantAdmin(String user) {
        token(user);
        db.update(
                "update local_users set roles = array(select distinct r from unnest(roles || array['admin']) r) "
                        + "where username = lower(?)",
                user);
        tokens.remove(user); // signed in again when next needed, with the role
    }

    /** The stack's database as its owner, for tests that set up or check rows directly. */
    public Db db() {
        return db;
    }

    /** The password every account of this stack signs up with (for clients run as separate processes). */
    public String password() {
        return PASSWORD;
    }

    /** A fresh single-use ticket for one WebSocket connection of the user. */
    public String wsTicket(String user) {
        return read(post("/api/auth/ws-ticket", token(user), ""), 200)
                .get("ticket")
                .asText();
    }

    private HttpResponse<String> post(String path, String token, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url(path)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw new AssertionError(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public UUID submit(String user, String text) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(api.url("/api/jobs")))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token(user))
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("text", text))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
            }
            return UUID.fromString(Json.mapper().readTree(r.body()).get("id").asText());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads a document as the user (multipart, as a browser sends it) and returns the job id. */
    public UUID upload(String user, String filename, byte[] content) {
        String boundary = "distill-" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(api.url("/api/jobs/upload")))
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .header("Authorization", "Bearer " + token(user))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return UUID.fromString(read(r, 202).get("id").asText());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode get(String user, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(api.url(path)))
                        .header("Authorization", "Bearer " + token(user))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    public long count(String sql, Object... params) {
        return db.count(sql, params);
    }

    private Map<String, String> common(String dbUser) {
        Map<String, String> props = new HashMap<>(storage);
        props.put("distill.db.tenant-key", LocalPostgres.TENANT_KEY);
        props.putAll(Map.of(
                "kafka.bootstrap.servers", kafka,
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", dbUser,
                "quarkus.datasource.password", dbUser));
        return props;
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
