package io.distill.model;

/**
 * The pipeline stages in the order the worker runs them, each with the progress a job has reached
 * when that stage is done. The progress scale lives here so that worker, gateway and UI agree.
 */
public enum Stage {
    QUEUED(0),
    LOAD(10),
    TEXT_EXTRACT(35),
    LLM_EXTRACT(75),
    VALIDATE(85),
    PERSIST(95),
    EMIT(100);

    private final int progressWhenDone;

    Stage(int progressWhenDone) {
        this.progressWhenDone = progressWhenDone;
    }

    public int progressWhenDone() {
        return progressWhenDone;
    }
}
