package io.distill.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.distill.model.ProgressEvent;

/** What the gateway sends: {@code progress} with an event, {@code subscribed}, or {@code error} with a reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerMessage(String type, ProgressEvent event, String jobId, String reason) {
    static ServerMessage progress(ProgressEvent event) {
        return new ServerMessage("progress", event, null, null);
    }

    static ServerMessage subscribed(String jobId) {
        return new ServerMessage("subscribed", null, jobId, null);
    }

    static ServerMessage error(String reason) {
        return new ServerMessage("error", null, null, reason);
    }
}
