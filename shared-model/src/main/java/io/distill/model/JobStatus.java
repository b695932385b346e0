package io.distill.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The states of an extraction job and the only transitions allowed between them. Every write of a
 * job's status goes through {@link io.distill.model.jobs.JobTransitions}, whose statements take
 * their compare-and-set guards from here; the database refuses any other transition as well (the
 * trigger of migration V9, tested pair by pair).
 */
public enum JobStatus {
    PENDING,
    PROCESSING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The name in the database, the REST API and the events: lower case. */
    @JsonValue
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Which states may follow this one. PROCESSING → PENDING is a scheduled retry. */
    public Set<JobStatus> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(PROCESSING, CANCELLED, FAILED);
            case PROCESSING -> EnumSet.of(PROCESSING, COMPLETED, FAILED, CANCELLED, PENDING);
            case FAILED -> EnumSet.of(PENDING);
            case COMPLETED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    public boolean canMoveTo(JobStatus next) {
        return successors().contains(next);
    }

    /** The states from which {@code target} may be reached: the guard of a compare-and-set. */
    public static List<String> predecessorsOf(JobStatus target) {
        return Arrays.stream(values())
                .filter(s -> s.canMoveTo(target))
                .map(JobStatus::dbValue)
                .toList();
    }

    /** A user may cancel a job that has not ended. */
    public boolean cancellable() {
        return canMoveTo(CANCELLED);
    }

    /** A user may send a failed job round again; a processing job goes back to pending only by the worker's retry policy. */
    public boolean retryableByUser() {
        return this == FAILED;
    }
}
