package io.distill.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Real PostgreSQL and a real KRaft Kafka for a {@code @QuarkusTest}. initArgs:
 * {@code postgres}, {@code kafka} (default true), {@code migrate} (default false: apply the
 * shared migrations here, for services that do not own them) and {@code owner} (default false:
 * connect as the application role, under row-level security; true: as the owner, like workers).
 */
public class InfraResource implements QuarkusTestResourceLifecycleManager {
    private LocalPostgres pg;
    private KraftBroker kafka;
    private boolean wantPg = true;
    private boolean wantKafka = true;
    private boolean migrate = false;
    private boolean asOwner = false;

    @Override
    public void init(Map<String, String> initArgs) {
        wantPg = Boolean.parseBoolean(initArgs.getOrDefault("postgres", "true"));
        wantKafka = Boolean.parseBoolean(initArgs.getOrDefault("kafka", "true"));
        migrate = Boolean.parseBoolean(initArgs.getOrDefault("migrate", "false"));
        asOwner = Boolean.parseBoolean(initArgs.getOrDefault("owner", "false"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = new HashMap<>();
        try {
            if (wantPg) {
                long t0 = System.nanoTime();
                pg = LocalPostgres.start();
                if (migrate) {
                    Schema.migrate(pg.jdbcUrl());
                }
                System.out.printf("[infra] postgres on %d in %d ms%n", pg.port(), (System.nanoTime() - t0) / 1_000_000);
                // the service runs as the application role unless told it owns the data (workers)
                String user = asOwner ? "postgres" : LocalPostgres.APP_ROLE;
                cfg.put("quarkus.datasource.username", user);
                cfg.put("quarkus.datasource.password", user);
                cfg.put("quarkus.flyway.username", "postgres");
                cfg.put("quarkus.flyway.password", "postgres");
                cfg.put("quarkus.datasource.reactive.url", pg.reactiveUrl());
                cfg.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
                cfg.put("distill.test.jdbc-url", pg.jdbcUrl());
                cfg.put("quarkus.datasource.\"admin\".username", LocalPostgres.ADMIN_ROLE);
                cfg.put("quarkus.datasource.\"admin\".password", LocalPostgres.ADMIN_ROLE);
                cfg.put("distill.db.tenant-key", LocalPostgres.TENANT_KEY);
            }
            // a key pair for the services' token verification (and the API's local issuer)
            TokenForge forge = new TokenForge();
            cfg.put("distill.auth.key-dir", forge.dir().toString());
            cfg.put("mp.jwt.verify.publickey.location", forge.publicKeyLocation());
            cfg.put("distill.test.key-dir", forge.dir().toString());
            if (wantKafka) {
                long t0 = System.nanoTime();
                kafka = KraftBroker.start();
                System.out.printf(
                        "[infra] kafka on %s in %d ms%n",
                        kafka.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
                cfg.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("test infrastructure failed to start", e);
        }
        return cfg;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }
}
