package io.distill.gateway;

import java.util.Map;

/**
 * What a browser sends: {@code subscribe} / {@code unsubscribe} a job, or all of its jobs. On a
 * reconnect it names the last sequence it saw ({@code lastSeq} for one job, {@code lastSeqs} per job
 * with {@code all}) and gets only what is newer. An admin may subscribe to runs ({@code runs: true}).
 */
public record ClientMessage(
        String type, String jobId, Boolean all, Long lastSeq, Map<String, Long> lastSeqs, Boolean runs) {
    boolean wantsAll() {
        return Boolean.TRUE.equals(all);
    }

    boolean wantsRuns() {
        return Boolean.TRUE.equals(runs);
    }
}
