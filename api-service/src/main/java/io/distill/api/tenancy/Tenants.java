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

    /**
     * A transaction of one statement in one round trip: begin, the tenant, the statement and commit
     * are sent together (the client pipelines them) instead of each waiting for the one before.
     * If the statement fails, PostgreSQL ends the transaction at the commit with a rollback.
     */
    @SuppressWarnings("unchecked") // the third answer is the statement's
    public <T> Uni<T> statement(String userId, Function<SqlConnection, Uni<T>> statement) {
        return pool.withConnection(conn -> {
            Uni<?> begin = conn.query("begin").execute();
            Uni<?> tenant = conn.preparedQuery(Tenancy.SET_TENANT).execute(Tuple.of(userId, tenancy.proof(userId)));
            Uni<T> result = statement.apply(conn);
            Uni<?> commit = conn.query("commit").execute();
            // all four are answered before the connection goes back to the pool, whichever failed
            return Uni.combine()
                    .all()
                    .unis(begin, tenant, result, commit)
                    .collectFailures()
                    .with(answers -> (T) answers.get(2));
        });
    }
}
