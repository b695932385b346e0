package io.distill.api.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Accounts of the local issuer, with bcrypt password hashes. Blocking (bcrypt is deliberately
 * slow): called from worker threads only.
 */
@ApplicationScoped
public class LocalUsers {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    // compared against when the user does not exist, so that both answers take as long
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-real-password");

    private final Pool pool;

    public LocalUsers(Pool pool) {
        this.pool = pool;
    }

    /** Creates the account; false if the name is taken. */
    public boolean register(String username, String password) {
        return pool.preparedQuery("insert into local_users (username, password_hash) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(username, BcryptUtil.bcryptHash(password)))
                .await().atMost(DB_TIMEOUT).rowCount() == 1;
    }

    public boolean verify(String username, String password) {
        var rows = pool.preparedQuery("select password_hash from local_users where username = $1")
                .execute(Tuple.of(username)).await().atMost(DB_TIMEOUT);
        String hash = rows.rowCount() == 1 ? rows.iterator().next().getString("password_hash") : DUMMY_HASH;
        return BcryptUtil.matches(password, hash) && rows.rowCount() == 1;
    }
}
