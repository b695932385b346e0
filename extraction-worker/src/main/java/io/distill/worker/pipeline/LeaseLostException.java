package io.distill.worker.pipeline;

import java.util.UUID;

/**
 * The job is no longer ours (lease taken over after expiry, or cancelled): stop without writing.
 * Not a failure of the job: someone else owns its outcome now.
 */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(UUID jobId) {
        super("lease on job " + jobId + " is no longer held");
    }
}
