package io.distill.testinfra;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL cluster from the machine's server binaries (Debian postgresql-15).
 * PostgreSQL refuses to run as root, so as root every command goes through
 * {@code runuser -u postgres --} and the directory is handed to that user.
 */
public final class LocalPostgres implements AutoCloseable {
    /**
     * The application's login role, as a database administrator would create it: no ownership, no
     * BYPASSRLS (password = name). The migrations grant it what the API needs.
     */
    public static final String APP_ROLE = "distill_api";
    /** The role of admin operations (runs, outbox relay, accounts): its own login, admitted by row security (password = name). */
    public static final String ADMIN_ROLE = "distill_admin";
    /** The tenant key of every test database: row security admits a user's rows only with its proof. */
    public static final String TENANT_KEY =
            "test-tenant-key-" + java.util.UUID.randomUUID().toString().replace("-", "");

    private final Path dir;
    private final int port;
    private final String bin;
    private final boolean asRoot;

    private LocalPostgres(Path dir, int port, String bin, boolean asRoot) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
        this.asRoot = asRoot;
    }

    public static LocalPostgres start() throws Exception {
        String bin = findBinDir();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("pgtest-");
        if (asRoot) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        LocalPostgres pg = new LocalPostgres(dir, Ports.free(), bin, asRoot);
        pg.run(
                bin + "/initdb",
                "-D",
                pg.dataDir(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync");
        pg.startServer();
        pg.run(
                bin + "/psql",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(pg.port),
                "-U",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "create role " + APP_ROLE + " login password '" + APP_ROLE + "'; create role " + ADMIN_ROLE
                        + " login password '" + ADMIN_ROLE + "'");
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stopQuietly));
        return pg;
    }

    public int port() {
        return port;
    }

    /** Where the server's binaries are (pgbench, psql…). */
    public java.nio.file.Path binDir() {
        return java.nio.file.Path.of(bin);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server again on the same port and data (for restart tests). */
    public void startServer() throws Exception {
        run(
                bin + "/pg_ctl",
                "-D",
                dataDir(),
                "-l",
                dir.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                        // extra server settings, e.g. pg_stat_statements while profiling the hot path
                        + System.getenv().getOrDefault("DISTILL_PG_OPTIONS", ""),
                "start");
    }

    public void stopServer() throws Exception {
        run(bin + "/pg_ctl", "-D", dataDir(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() {
        stopQuietly();
        Files2.deleteTree(dir);
    }

    private String dataDir() {
        return dir.resolve("data").toString();
    }

    /** The postmaster's process id (its backends are its children), from the first line of postmaster.pid. */
    public long serverPid() throws IOException {
        return Long.parseLong(
                Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim());
    }

    private synchronized void stopQuietly() {
        if (!Files.exists(dir.resolve("data/postmaster.pid"))) {
            return;
        }
        try {
            run(bin + "/pg_ctl", "-D", dataDir(), "-m", "immediate", "-w", "stop");
        } catch (Exception ignored) {
            // the JVM is going away; nothing better to do
        }
    }

    private void run(String... cmd) throws Exception {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        Path log = Files.createTempFile("pgcmd-", ".log");
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("command failed: " + full + "\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }

    private static String findBinDir() {
        String env = System.getenv("PG_BIN");
        if (env != null) {
            return env;
        }
        String[] versions = new File("/usr/lib/postgresql").list();
        if (versions != null) {
            Arrays.sort(
                    versions,
                    Comparator.comparingInt((String v) -> Integer.parseInt(v.replaceAll("\\D", "0")))
                            .reversed());
            for (String v : versions) {
                if (new File("/usr/lib/postgresql/" + v + "/bin/initdb").canExecute()) {
                    return "/usr/lib/postgresql/" + v + "/bin";
                }
            }
        }
        throw new IllegalStateException(
                "PostgreSQL server binaries not found; apt-get install postgresql or set PG_BIN");
    }
}
