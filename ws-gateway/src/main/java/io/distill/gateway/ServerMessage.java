package io.distill.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.distill.model.ProgressEvent;
import io.distill.model.RunEvent;

/**
 * What the gateway sends: {@code progress} with a job's event, {@code run} with a run's counters (to
 * admins who subscribed to runs), {@code subscribed}, or {@code error} with a reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerMessage(String type, ProgressEvent event, RunEvent run, String jobId, String reason) {
    static ServerMessage progress(ProgressEvent event) {
        return new ServerMessage("progress", event, null, null, null);
    }

    static ServerMessage run(RunEvent run) {
        return new ServerMessage("run", null, run, null, null);
    }

    static ServerMessage subscribed(String jobId) {
        return new ServerMessage("subscribed", null, null, jobId, null);
    }

    static ServerMessage error(String reason) {
        return new ServerMessage("error", null, null, null, reason);
    }
}
