package io.distill.model;

/** Kafka topic names shared by the services (overridable per channel in application.properties). */
public final class Topics {
    public static final String JOBS = "distill.jobs";
    public static final String JOB_EVENTS = "distill.job-events";
    public static final String JOBS_DEAD_LETTER = "distill.jobs.dlq";
    public static final String RUN_EVENTS = "distill.run-events";

    private Topics() {}
}
