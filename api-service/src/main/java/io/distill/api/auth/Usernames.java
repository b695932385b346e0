package io.distill.api.auth;

import java.util.Locale;
import java.util.Set;

/**
 * Local account names: ASCII only (see {@link Credentials}), compared and stored case-folded, so
 * {@code Admin} and {@code admin} are one name; names that read as the system's own are reserved.
 */
public final class Usernames {
    private static final Set<String> RESERVED = Set.of(
            "admin",
            "administrator",
            "root",
            "system",
            "distill",
            "operator",
            "superuser",
            "sysadmin",
            "support",
            "security",
            "postmaster",
            "webmaster",
            "hostmaster",
            "metrics",
            "api",
            "anonymous",
            "null",
            "owner",
            "moderator",
            "service",
            "worker",
            "gateway");

    private Usernames() {}

    public static String fold(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public static boolean reserved(String folded) {
        return RESERVED.contains(folded);
    }
}
