package io.distill.testinfra;

/** Teardown of what a test or benchmark started. */
public final class Resources {
    private Resources() {}

    /** Closes each in the order given (the stack before the broker before the database), skipping those never started. */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
