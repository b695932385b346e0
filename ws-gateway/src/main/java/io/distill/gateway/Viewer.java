package io.distill.gateway;

import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.ProgressRule;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One open connection: whose it is, what it subscribed to, and the last event it was sent per job.
 * {@link #offer} is the gateway's monotonicity check, and sends happen in the order they pass it.
 */
final class Viewer {
    private static final Logger LOG = Logger.getLogger(Viewer.class);

    private final WebSocketConnection connection;
    private final String userId;
    private final Set<UUID> jobs = new HashSet<>();
    private final Map<UUID, ProgressEvent> lastSent = new HashMap<>();
    private boolean allJobs;

    Viewer(WebSocketConnection connection, String userId) {
        this.connection = connection;
        this.userId = userId;
    }

    String userId() {
        return userId;
    }

    synchronized void follow(UUID jobId) {
        jobs.add(jobId);
    }

    synchronized void unfollow(UUID jobId) {
        jobs.remove(jobId);
        lastSent.remove(jobId);
    }

    synchronized void followAll() {
        allJobs = true;
    }

    synchronized boolean wants(ProgressEvent event) {
        return userId.equals(event.userId()) && (allJobs || jobs.contains(event.jobId()));
    }

    /** Sends the event if it is this user's, subscribed, and newer than what was sent for that job. */
    synchronized void offer(ProgressEvent event) {
        if (!wants(event) || !ProgressRule.mayFollow(lastSent.get(event.jobId()), event)) {
            return;
        }
        lastSent.put(event.jobId(), event);
        send(ServerMessage.progress(event));
    }

    synchronized void send(ServerMessage message) {
        connection.sendText(Json.write(message)).subscribe().with(
                ok -> { },
                failure -> LOG.debugf("send to %s failed: %s", connection.id(), failure.toString()));
    }
}
