package io.distill.testinfra;

import org.flywaydb.core.Flyway;

/** Applies the shared migrations, as api-service does at start, for tests of the other services. */
public final class Schema {
    private Schema() {}

    public static void migrate(String jdbcUrl) {
        Flyway.configure()
                .dataSource(jdbcUrl, "postgres", "postgres")
                .locations("classpath:db/migration")
                .placeholders(java.util.Map.of(
                        "app_role",
                        LocalPostgres.APP_ROLE,
                        "admin_role",
                        LocalPostgres.ADMIN_ROLE,
                        "tenant_key",
                        LocalPostgres.TENANT_KEY))
                .load()
                .migrate();
    }
}
