package io.distill.api.auth;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Accounts, tokens and sign-in throttling ({@code distill.auth.*}). */
@ConfigMapping(prefix = "distill.auth")
public interface AuthSettings {
    /** Where the token-signing key pair (and the bootstrap admin's first password) is kept. */
    Path keyDir();

    /** An admin account created at the first start when none exists; its password is written to the key directory. */
    Optional<String> bootstrapAdmin();

    /** Whether anyone may create an account (POST /api/auth/register). */
    boolean openRegistration();

    Duration tokenLifetime();

    Duration wsTicketLifetime();

    Throttle throttle();

    TokenCache verifiedTokens();

    /** Bearer tokens kept once verified (see {@link io.distill.api.auth.VerifiedTokens}). */
    interface TokenCache {
        long maxEntries();

        /** At most this long, even when the token itself lives longer. */
        Duration ttl();
    }

    /** Failed sign-ins and sign-ups allowed per window before the account or address is blocked (doubling, up to max-block). */
    interface Throttle {
        int failuresPerAccount();

        int failuresPerAddress();

        int registrationsPerAddress();

        Duration window();

        Duration maxBlock();
    }
}
