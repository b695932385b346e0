package io.distill.api.auth;

import io.distill.api.ratelimit.RateLimitedException;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Back-off for guessing: failed sign-ins are counted per account and per client address, and
 * sign-ups per client address, in PostgreSQL so that every replica sees them. Past the free
 * attempts of a window each further one blocks the key for twice as long (1 s, 2 s, 4 s … up to
 * the maximum); while blocked, the answer is 429 with Retry-After and no password is checked.
 */
@ApplicationScoped
public class AuthThrottle {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    private static final String BLOCKED = """
            select ceil(extract(epoch from max(blocked_until) - now()))::int as seconds
            from auth_throttle where key = any($1) and blocked_until > now()""";
    private static final String COUNT = """
            insert into auth_throttle as t (key, attempts, window_start) values ($1, 1, now())
            on conflict (key) do update set
                attempts = case when t.window_start < now() - make_interval(secs => $3) then 1 else t.attempts + 1 end,
                window_start = case when t.window_start < now() - make_interval(secs => $3) then now() else t.window_start end,
                blocked_until = case when t.window_start >= now() - make_interval(secs => $3) and t.attempts + 1 > $2
                    then now() + least(make_interval(secs => $4), make_interval(secs => power(2, least(t.attempts - $2, 20))))
                    end""";
    private static final String FORGET = "delete from auth_throttle where key = $1";

    /** How many of a kind of attempt are free per window before the back-off starts. */
    public record Allowance(int free, Duration window) {}

    private final Pool pool;
    private final Allowance perAccount;
    private final Allowance perAddress;
    private final Allowance signUps;
    private final Duration maxBlock;

    public AuthThrottle(@ReactiveDataSource("admin") Pool pool, AuthSettings settings) {
        AuthSettings.Throttle throttle = settings.throttle();
        this.pool = pool;
        this.perAccount = new Allowance(throttle.failuresPerAccount(), throttle.window());
        this.perAddress = new Allowance(throttle.failuresPerAddress(), throttle.window());
        this.signUps = new Allowance(throttle.registrationsPerAddress(), throttle.window());
        this.maxBlock = throttle.maxBlock();
    }

    /** Refuses (429) while the account or the address is blocked. */
    public void checkSignIn(String username, String address) {
        refuseIfBlocked(List.of(accountKey(username), addressKey(address)), "too many failed sign-ins");
    }

    public void signInFailed(String username, String address) {
        count(accountKey(username), perAccount);
        count(addressKey(address), perAddress);
    }

    /** A right password clears the account's count (not the address's: one good account must not unlock guessing at others). */
    public void signInSucceeded(String username) {
        pool.preparedQuery(FORGET)
                .execute(Tuple.of(accountKey(username)))
                .await()
                .atMost(DB_TIMEOUT);
    }

    public void checkSignUp(String address) {
        refuseIfBlocked(List.of("sign-up:" + address), "too many accounts created from this address");
    }

    public void signedUp(String address) {
        count("sign-up:" + address, signUps);
    }

    private void refuseIfBlocked(List<String> keys, String why) {
        RowIterator<Row> rows = pool.preparedQuery(BLOCKED)
                .execute(Tuple.of(keys.toArray(String[]::new)))
                .await()
                .atMost(DB_TIMEOUT)
                .iterator();
        Integer seconds = rows.hasNext() ? rows.next().getInteger("seconds") : null;
        if (seconds != null) {
            int wait = Math.max(1, seconds);
            throw new RateLimitedException("too_many_attempts", why + "; try again in " + wait + " s", wait);
        }
    }

    private void count(String key, Allowance allowance) {
        pool.preparedQuery(COUNT)
                .execute(Tuple.of(key, allowance.free(), allowance.window().toSeconds(), maxBlock.toSeconds()))
                .await()
                .atMost(DB_TIMEOUT);
    }

    private static String accountKey(String username) {
        return "account:" + username;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
