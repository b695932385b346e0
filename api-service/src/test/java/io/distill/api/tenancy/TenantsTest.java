package io.distill.api.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.distill.testinfra.InfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one-round-trip transaction: it commits, it names its user only for itself, and a failure leaves nothing open. */
@Tag("infra")
@QuarkusTest
@WithTestResource(InfraResource.class)
class TenantsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Tenants tenants;

    @Inject
    Pool pool;

    @Test
    void aFailedStatementEndsItsTransactionAndTheNextOnesOnEveryPooledConnectionWork() {
        // more failures than the pool has connections: each connection goes back to the pool after one
        for (int i = 0; i < 50; i++) {
            assertThrows(
                    RuntimeException.class,
                    () -> tenants.statement(
                                    "tenant-a",
                                    conn -> conn.query("select 1 / 0").execute())
                            .await()
                            .atMost(WAIT));
        }
        for (int i = 0; i < 50; i++) {
            String user = "tenant-" + i;
            String seen = tenants.statement(
                            user,
                            conn -> conn.preparedQuery("select current_setting('distill.user_id', true) as u")
                                    .execute(Tuple.tuple())
                                    .map(rows -> rows.iterator().next().getString("u")))
                    .await()
                    .atMost(WAIT);
            assertEquals(user, seen, "each transaction names its own user, none inherits an earlier one");
        }
    }

    @Test
    void theUserNamedInsideIsGoneAfterTheCommit() {
        for (int i = 0; i < 50; i++) {
            tenants.statement("tenant-gone", conn -> conn.query("select 1").execute())
                    .await()
                    .atMost(WAIT);
            // outside a tenant transaction, on whichever pooled connection: no user named
            String outside = pool.query("select coalesce(current_setting('distill.user_id', true), '') as u")
                    .execute()
                    .map(rows -> rows.iterator().next().getString("u"))
                    .await()
                    .atMost(WAIT);
            assertEquals("", outside);
        }
    }
}
