package io.distill.testinfra;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests: S3Proxy on a temporary directory, in its own JVM (its
 * dependencies stay out of ours), from the classpath the {@code s3proxy-runtime} module writes.
 */
public final class S3Local implements AutoCloseable {
    public static final String ACCESS_KEY = "distill-test";
    public static final String SECRET_KEY = "distill-test-secret";

    private final Process process;
    private final Path dir;
    private final int port;

    private S3Local(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static S3Local start() throws Exception {
        Path classpath = findClasspathFile();
        Path dir = Files.createTempDirectory("s3local-");
        Files.createDirectories(dir.resolve("data"));
        int port = Ports.free();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + dir.resolve("data")));
        Process process = new ProcessBuilder(List.of(
                        "java",
                        "-Xmx256m",
                        "-cp",
                        Files.readString(classpath).strip(),
                        "org.gaul.s3proxy.Main",
                        "--properties",
                        properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        S3Local s3 = new S3Local(process, dir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return s3;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        s3.close();
        throw new IllegalStateException("S3Proxy did not start in 60 s");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files2.deleteTree(dir);
    }

    private static Path findClasspathFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("s3proxy-runtime/target/s3proxy.classpath");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "s3proxy-runtime/target/s3proxy.classpath not found: build the s3proxy-runtime module first");
    }
}
