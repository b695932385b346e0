package io.distill.api.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts of the local issuer. Passwords are pre-hashed (SHA-256, base64) before bcrypt, so every
 * character of a long passphrase counts (bcrypt alone reads 72 bytes); hashes made before that are
 * recognised by their prefix. Roles come from the account row and only an operator grants
 * {@code admin} ({@code ./distill admin NAME} or the bootstrap admin). Blocking (bcrypt is slow on
 * purpose): called from worker threads only, on the admin role's pool.
 */
@ApplicationScoped
public class LocalUsers {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    /** Marks a hash of the pre-hashed password; older rows hold plain bcrypt of the password. */
    private static final String PREHASHED = "sha256$";
    // compared against when the user does not exist, so that both answers take as long
    private static final String DUMMY_HASH = PREHASHED + BcryptUtil.bcryptHash(prehash("not-a-real-password"));

    /** An account that signed in: its name and roles. */
    public record Account(String username, Set<String> roles) {}

    private final Pool pool;

    public LocalUsers(@ReactiveDataSource("admin") Pool pool) {
        this.pool = pool;
    }

    /** Creates the account with the user role; false if the (case-folded) name is taken. */
    public boolean register(String username, String password) {
        return insert(username, password, new String[] {"user"});
    }

    /** Creates an account with the admin role (the bootstrap admin); false if the name is taken. */
    public boolean registerAdmin(String username, String password) {
        return insert(username, password, new String[] {"user", "admin"});
    }

    public boolean anyAdmin() {
        return pool.preparedQuery("select 1 from local_users where 'admin' = any(roles) limit 1")
                        .execute()
                        .await()
                        .atMost(DB_TIMEOUT)
                        .rowCount()
                > 0;
    }

    /** The account if the password is right; empty otherwise (the same work either way). */
    public Optional<Account> verify(String username, String password) {
        RowIterator<Row> rows = pool.preparedQuery(
                        "select username, password_hash, roles from local_users where username = $1")
                .execute(Tuple.of(username))
                .await()
                .atMost(DB_TIMEOUT)
                .iterator();
        Row row = rows.hasNext() ? rows.next() : null;
        boolean matches = matches(password, row == null ? DUMMY_HASH : row.getString("password_hash"));
        if (row == null || !matches) {
            return Optional.empty();
        }
        return Optional.of(
                new Account(row.getString("username"), Set.copyOf(Arrays.asList(row.getArrayOfStrings("roles")))));
    }

    private boolean insert(String username, String password, String[] roles) {
        return pool.preparedQuery(
                                "insert into local_users (username, password_hash, roles) values ($1, $2, $3) on conflict do nothing")
                        .execute(Tuple.of(username, PREHASHED + BcryptUtil.bcryptHash(prehash(password)), roles))
                        .await()
                        .atMost(DB_TIMEOUT)
                        .rowCount()
                == 1;
    }

    private static boolean matches(String password, String hash) {
        return hash.startsWith(PREHASHED)
                ? BcryptUtil.matches(prehash(password), hash.substring(PREHASHED.length()))
                : BcryptUtil.matches(password, hash);
    }

    /** Base64 of SHA-256: 44 ASCII characters, within bcrypt's 72 bytes and free of NUL bytes. */
    private static String prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
