package io.distill.model;

/**
 * Row-level security on the tenant tables admits a row only in a transaction that named its user
 * (or declared an admin operation). This is the statement every service runs first in such a
 * transaction: {@code $1} the user id, {@code $2} "on" for admin operations, else "off".
 */
public final class Tenancy {
    public static final String SET_TENANT = "select set_config('distill.user_id', $1, true), set_config('distill.admin', $2, true)";

    private Tenancy() {
    }
}
