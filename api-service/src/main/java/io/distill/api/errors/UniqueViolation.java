package io.distill.api.errors;

/** Whether a database failure is a unique-key violation (SQLSTATE 23505), however it was wrapped. */
public final class UniqueViolation {
    private static final String SQLSTATE = "23505";

    private UniqueViolation() {}

    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && SQLSTATE.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
