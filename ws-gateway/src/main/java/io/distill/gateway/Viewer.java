package io.distill.gateway;

import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.ProgressRule;
import io.distill.model.RunEvent;
import io.distill.model.Stage;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One open connection: whose it is, what it subscribed to, and the last event it was sent per job.
 * {@link #offer} is the gateway's monotonicity check, and sends happen in the order they pass it.
 */
final class Viewer {
    private static final Logger LOG = Logger.getLogger(Viewer.class);

    private final WebSocketConnection connection;
    private final String userId;
    private final boolean admin;
    /** What was last sent per run: counters only grow, and a run that ended stays ended. */
    private final Map<UUID, RunEvent> lastRuns = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, RunEvent> eldest) {
            return size() > MAX_REMEMBERED_RUNS;
        }
    };

    private final Set<UUID> jobs = new HashSet<>();
    /** What was last sent per job, for the monotonicity check: bounded, the least recently used job forgotten first. */
    private final Map<UUID, ProgressEvent> lastSent = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, ProgressEvent> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    private boolean allJobs;
    private boolean dropped;
    private final AtomicInteger pendingSends = new AtomicInteger();

    static final int MAX_PENDING_SENDS = 256;
    /** Jobs one connection may follow one by one (beyond that: subscribe to all). */
    static final int MAX_JOBS = 1_000;
    /** Jobs whose last event a connection remembers. */
    static final int MAX_REMEMBERED = 1_000;
    /** Runs whose last event a connection remembers. */
    static final int MAX_REMEMBERED_RUNS = 100;

    static final CloseReason SLOW_CONSUMER = new CloseReason(4008, "slow consumer: reconnect with your last sequences");

    private final GatewayMetrics metrics;

    Viewer(WebSocketConnection connection, String userId, boolean admin, GatewayMetrics metrics) {
        this.connection = connection;
        this.userId = userId;
        this.admin = admin;
        this.metrics = metrics;
    }

    String userId() {
        return userId;
    }

    boolean isAdmin() {
        return admin;
    }

    /** Sends a run's counters unless they are behind what this connection was already sent for that run. */
    synchronized void offer(RunEvent run) {
        RunEvent last = lastRuns.get(run.runId());
        if (last != null && (last.status().successors().isEmpty() || run.processed() < last.processed())) {
            return;
        }
        if (dropped) {
            metrics.dropped();
            return;
        }
        lastRuns.put(run.runId(), run);
        send(ServerMessage.run(run));
    }

    /** Follows one more job; false when the connection already follows {@link #MAX_JOBS}. */
    synchronized boolean follow(UUID jobId) {
        if (jobs.size() >= MAX_JOBS && !jobs.contains(jobId)) {
            return false;
        }
        jobs.add(jobId);
        return true;
    }

    /** A reconnecting client already has everything up to {@code seq} of this job. */
    synchronized void seen(UUID jobId, long seq) {
        ProgressEvent current = lastSent.get(jobId);
        if (current == null || current.seq() < seq) {
            lastSent.put(jobId, ProgressEvent.of(jobId, userId, Stage.QUEUED, JobStatus.PENDING, 0, seq));
        }
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
    void offer(ProgressEvent newer) {
        offer(newer, null);
    }

    /**
     * The same, with the event already written as a {@code progress} message ({@code written}, may be null): one
     * event goes to every connection of its user, and is written once for all of them unless this connection has
     * to send it with its progress raised.
     */
    synchronized void offer(ProgressEvent newer, String written) {
        ProgressEvent event = wants(newer) ? ProgressRule.follow(lastSent.get(newer.jobId()), newer) : null;
        if (event == null) {
            return;
        }
        if (dropped) {
            metrics.dropped();
            return;
        }
        lastSent.put(event.jobId(), event);
        sendText(event == newer && written != null ? written : Json.write(ServerMessage.progress(event)));
    }

    /**
     * Queues a message on the connection. A client that lets more than {@link #MAX_PENDING_SENDS}
     * messages pile up is too slow to follow: it is closed with {@link #SLOW_CONSUMER} and may
     * reconnect with its last sequences.
     */
    void send(ServerMessage message) {
        sendText(Json.write(message));
    }

    private synchronized void sendText(String message) {
        if (pendingSends.incrementAndGet() > MAX_PENDING_SENDS) {
            dropSlowConsumer();
            metrics.dropped();
            return;
        }
        metrics.sent();
        connection.sendText(message).subscribe().with(ok -> pendingSends.decrementAndGet(), failure -> {
            pendingSends.decrementAndGet();
            LOG.debugf("send to %s failed: %s", connection.id(), failure.toString());
        });
    }

    /** Whether this viewer was closed for being too slow: it gets nothing more while its close completes. */
    synchronized boolean isDropped() {
        return dropped;
    }

    private void dropSlowConsumer() {
        if (dropped) {
            return;
        }
        dropped = true;
        metrics.slowConsumerClosed();
        LOG.infof(
                "closing slow WebSocket consumer %s (user %s): %d messages pending",
                connection.id(), userId, pendingSends.get());
        connection.close(SLOW_CONSUMER).subscribe().with(ok -> {}, failure -> {});
    }
}
