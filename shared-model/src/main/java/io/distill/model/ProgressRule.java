package io.distill.model;

/**
 * Progress is monotonic: the worker's publisher clamps and raises it, and the gateway re-checks
 * each event against the last one it forwarded. This is the one place that rule is written.
 */
public final class ProgressRule {
    private ProgressRule() {
    }

    public static int clamp(int progress) {
        return Math.max(0, Math.min(100, progress));
    }

    /**
     * Whether {@code next} may follow {@code last} (null: nothing sent yet): it must be newer and
     * must not move progress backwards.
     */
    public static boolean mayFollow(ProgressEvent last, ProgressEvent next) {
        if (last == null) {
            return true;
        }
        return next.seq() > last.seq() && next.progress() >= last.progress();
    }
}
