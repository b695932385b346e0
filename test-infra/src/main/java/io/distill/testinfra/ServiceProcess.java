package io.distill.testinfra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged Quarkus service run as its own JVM process, as in production. */
public final class ServiceProcess implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("distill.root", ".."));

    /** The repository's root directory (the build sets {@code distill.root}; a module's directory is one below). */
    public static Path root() {
        return ROOT;
    }

    /** Services whose health, metrics and OpenAPI live on the management port, not the public one. */
    private static final List<String> WITH_MANAGEMENT_PORT = List.of("api-service", "ws-gateway");

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    public static final String DEFAULT_HEAP = "384m";

    /**
     * JVM options for every service and broker a test starts ({@code distill.test.service-jvm-options}): the
     * test builds set {@code -XX:TieredStopAtLevel=1}, since a service that lives a minute spends more CPU in
     * the optimizing compiler than it gains from it; the published benchmark sets none.
     */
    private static final List<String> JVM_OPTIONS =
            List.of(System.getProperty("distill.test.service-jvm-options", "")
                            .trim()
                            .split("\\s+"))
                    .stream()
                    .filter(option -> !option.isEmpty())
                    .toList();

    public static ServiceProcess start(String module, String name, int port, Map<String, String> properties)
            throws IOException {
        return start(module, name, port, properties, DEFAULT_HEAP);
    }

    public static ServiceProcess start(
            String module, String name, int port, Map<String, String> properties, String heap) throws IOException {
        Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn verify does)");
        }
        int managementPort = WITH_MANAGEMENT_PORT.contains(module) ? Ports.free() : port;
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        return launch(name, port, managementPort, command);
    }

    /** A Kafka broker (KRaft) in its own JVM, from this test's classpath, so it can be stopped and restarted. */
    public static ServiceProcess kafka(Path dataDir, int port, int controllerPort) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m"));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.distill.testinfra.KraftBroker",
                dataDir.toString(),
                String.valueOf(port),
                String.valueOf(controllerPort)));
        return launch("kafka", port, port, command);
    }

    private static ServiceProcess launch(String name, int port, int managementPort, List<String> command)
            throws IOException {
        Path logDir = Path.of(System.getProperty(
                "distill.log-dir", ROOT.resolve("e2e-tests/target/e2e-logs").toString()));
        Files.createDirectories(logDir);
        // the port makes it this process's own: test classes that run side by side name their services alike
        Path log = logDir.resolve(name + "-" + port + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServiceProcess(name, port, managementPort, process, log);
    }

    public ServiceProcess awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; log:\n" + tail());
    }

    /** Waits until the process accepts connections on its port (for non-HTTP servers). */
    public ServiceProcess awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
            }
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(name + " not listening after " + timeout + "; log:\n" + tail());
    }

    /** HTTP status of the readiness probe, or -1 when nothing answers. */
    public int readiness() {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready")))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Sends a POSIX signal (STOP, CONT, TERM…) to the process. */
    public void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the process (VmRSS), in KiB. */
    public long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + name);
    }

    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Health, metrics and OpenAPI: the management port where the service has one, else the public port. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** SIGKILL: no shutdown hook, no goodbye to Kafka or PostgreSQL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(
                java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }
}
