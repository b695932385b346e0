package io.distill.api.tenancy;

import io.distill.model.Tenancy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Whose rows a transaction may see. Row-level security on the tenant tables admits a row only if
 * the transaction named its user (or declared an admin operation), so every database call of the
 * API runs inside {@link #transaction} or {@link #panacheTransaction}; a query that forgets sees
 * nothing.
 */
public record Tenant(String userId, boolean admin) {
    private static final String SET_HQL = Tenancy.SET_TENANT.replace("$1", ":user").replace("$2", ":admin");

    public static Tenant user(String userId) {
        return new Tenant(userId, false);
    }

    /** Operations of the system itself (the daily schedule) and of admins, across users. */
    public static Tenant admin(String userId) {
        return new Tenant(userId, true);
    }

    public <T> Uni<T> transaction(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> conn.preparedQuery(Tenancy.SET_TENANT).execute(Tuple.of(userId, admin ? "on" : "off"))
                .chain(() -> work.apply(conn)));
    }

    public <T> Uni<T> panacheTransaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(SET_HQL)
                        .setParameter("user", userId).setParameter("admin", admin ? "on" : "off")
                        .getSingleResult())
                .chain(() -> work.get()));
    }
}
