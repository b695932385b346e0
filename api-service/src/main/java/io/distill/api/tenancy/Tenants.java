package io.distill.api.tenancy;

import io.distill.model.Tenancy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whose rows a transaction may see. Row-level security on the tenant tables admits a row only if
 * the transaction named its user with the proof only the holder of the tenant key can make, so
 * every user-facing database call of the API runs inside {@link #transaction}; a query that
 * forgets sees nothing. Operations across users (runs,
 * the outbox relay, accounts) use the admin role's own pool instead.
 */
@ApplicationScoped
public class Tenants {
    private final Tenancy tenancy;
    private final Pool pool;

    public Tenants(@ConfigProperty(name = Tenancy.KEY_SETTING) String key, Pool pool) {
        this.tenancy = new Tenancy(key);
        this.pool = pool;
    }

    public <T> Uni<T> transaction(String userId, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> conn.preparedQuery(Tenancy.SET_TENANT)
                .execute(Tuple.of(userId, tenancy.proof(userId)))
                .chain(() -> work.apply(conn)));
    }
}
