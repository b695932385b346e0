package io.distill.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The states of an extraction run (a batch of jobs started together) and their transitions. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED;

    @JsonValue
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public Set<RunStatus> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELED, SUCCEEDED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELED);
            case SUCCEEDED, FAILED, CANCELED -> EnumSet.noneOf(RunStatus.class);
        };
    }

    public static List<String> predecessorsOf(RunStatus target) {
        return Arrays.stream(values())
                .filter(s -> s.successors().contains(target))
                .map(RunStatus::dbValue)
                .toList();
    }

    /** How a run ends once every one of its jobs has: failed if any job failed. */
    public static RunStatus outcome(long failedJobs) {
        return failedJobs > 0 ? FAILED : SUCCEEDED;
    }
}
