package io.distill.gateway;

/** What a browser sends: {@code subscribe} / {@code unsubscribe} a job, or all of its jobs. */
public record ClientMessage(String type, String jobId, Boolean all) {
    boolean wantsAll() {
        return Boolean.TRUE.equals(all);
    }
}
