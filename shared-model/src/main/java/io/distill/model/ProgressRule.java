package io.distill.model;

/**
 * Progress is monotonic: the worker's publisher clamps and raises it, and the gateway re-checks
 * each event against the last one it forwarded. This is the one place that rule is written.
 */
public final class ProgressRule {
    private ProgressRule() {}

    public static int clamp(int progress) {
        return Math.max(0, Math.min(100, progress));
    }

    /**
     * What a viewer that last saw {@code last} (null: nothing yet) is shown of {@code next}: nothing
     * (null) when it is not newer, else {@code next} with its progress raised to what was shown.
     * A newer event is never dropped for its progress: a cancel or a failure carries the progress
     * stored in the job row, which may be behind the stage events already streamed, and its status
     * must still arrive.
     */
    public static ProgressEvent follow(ProgressEvent last, ProgressEvent next) {
        if (last == null) {
            return next;
        }
        if (next.seq() <= last.seq()) {
            return null;
        }
        return next.progress() >= last.progress() ? next : next.withProgress(last.progress());
    }
}
