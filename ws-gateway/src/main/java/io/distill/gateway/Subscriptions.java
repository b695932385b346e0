package io.distill.gateway;

import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.RunEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who follows which job. A subscription first registers, then sends the stored state, so no event
 * falls between the two; each {@link Viewer} drops whatever is older than what it already sent.
 */
@ApplicationScoped
public class Subscriptions {
    static final int RECENT_JOBS = 50;

    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    /** Open viewers by user: an event goes to its user's connections only, never a scan of all of them. */
    private final Map<String, Set<Viewer>> byUser = new ConcurrentHashMap<>();
    /** Admin connections that follow runs. */
    private final Set<Viewer> runWatchers = ConcurrentHashMap.newKeySet();

    private final JobSnapshots snapshots;
    private final OpenConnections connections;

    private final GatewayMetrics metrics;

    public Subscriptions(
            JobSnapshots snapshots, OpenConnections connections, GatewayMetrics metrics, MeterRegistry registry) {
        this.snapshots = snapshots;
        this.connections = connections;
        this.metrics = metrics;
        Gauge.builder("distill.ws.connections", viewers, Map::size)
                .description("open WebSocket connections")
                .register(registry);
    }

    void open(WebSocketConnection connection, String user, boolean admin) {
        // the injected connection is a session-scoped proxy; events are sent from Kafka's threads,
        // outside any session, so keep the connection object itself
        connections.findByConnectionId(connection.id()).ifPresent(open -> {
            Viewer viewer = new Viewer(open, user, admin, metrics);
            viewers.put(open.id(), viewer);
            byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(viewer);
        });
    }

    void close(WebSocketConnection connection) {
        Viewer viewer = viewers.remove(connection.id());
        if (viewer != null) {
            runWatchers.remove(viewer);
            byUser.computeIfPresent(viewer.userId(), (user, set) -> {
                set.remove(viewer);
                return set.isEmpty() ? null : set;
            });
        }
    }

    Uni<Void> handle(WebSocketConnection connection, String text) {
        Viewer viewer = viewers.get(connection.id());
        if (viewer == null) {
            return Uni.createFrom().voidItem();
        }
        ClientMessage message;
        try {
            message = Json.read(text, ClientMessage.class);
            if (message == null || message.type() == null) {
                throw new IllegalArgumentException("not a message object");
            }
        } catch (IllegalArgumentException e) {
            viewer.send(ServerMessage.error(
                    "malformed message: expected JSON like {\"type\":\"subscribe\",\"jobId\":\"…\"}"));
            return Uni.createFrom().voidItem();
        }
        if ("subscribe".equals(message.type()) && message.wantsRuns()) {
            if (!viewer.isAdmin()) {
                viewer.send(ServerMessage.error("runs are followed by admins only"));
                return Uni.createFrom().voidItem();
            }
            runWatchers.add(viewer);
            viewer.send(ServerMessage.subscribed(null));
            return Uni.createFrom().voidItem();
        }
        if ("subscribe".equals(message.type()) && message.wantsAll()) {
            if (message.lastSeqs() != null) {
                message.lastSeqs().forEach((job, seq) -> {
                    UUID id = parseJobId(job);
                    if (id != null && seq != null) {
                        viewer.seen(id, seq);
                    }
                });
            }
            viewer.followAll();
            return snapshots
                    .recent(viewer.userId(), RECENT_JOBS)
                    .invoke(events -> {
                        viewer.send(ServerMessage.subscribed(null));
                        events.forEach(viewer::offer);
                    })
                    .replaceWithVoid();
        }
        UUID jobId = parseJobId(message.jobId());
        if (jobId == null || !("subscribe".equals(message.type()) || "unsubscribe".equals(message.type()))) {
            viewer.send(
                    ServerMessage.error(
                            "expected {\"type\":\"subscribe\"|\"unsubscribe\",\"jobId\":\"<uuid>\"} or {\"type\":\"subscribe\",\"all\":true}"));
            return Uni.createFrom().voidItem();
        }
        if ("unsubscribe".equals(message.type())) {
            viewer.unfollow(jobId);
            return Uni.createFrom().voidItem();
        }
        if (!viewer.follow(jobId)) {
            viewer.send(ServerMessage.error(
                    "a connection follows at most " + Viewer.MAX_JOBS + " jobs; subscribe to all instead"));
            return Uni.createFrom().voidItem();
        }
        if (message.lastSeq() != null) {
            viewer.seen(jobId, message.lastSeq());
        }
        return snapshots
                .job(jobId, viewer.userId())
                .invoke(snapshot -> {
                    if (snapshot == null) {
                        viewer.unfollow(jobId);
                        viewer.send(ServerMessage.error("no job " + jobId));
                        return;
                    }
                    viewer.send(ServerMessage.subscribed(jobId.toString()));
                    viewer.offer(snapshot);
                })
                .replaceWithVoid();
    }

    /**
     * Called for every event on the topic: offered to the connections of the event's user only, written as JSON
     * once for all of them.
     */
    void dispatch(ProgressEvent event) {
        metrics.received(event);
        Set<Viewer> watching = byUser.get(event.userId());
        if (watching != null && !watching.isEmpty()) {
            String written = Json.write(ServerMessage.progress(event));
            for (Viewer viewer : watching) {
                viewer.offer(event, written);
            }
        }
    }

    /** Called for every run event: offered to the admin connections that follow runs. */
    void dispatch(RunEvent event) {
        for (Viewer viewer : runWatchers) {
            viewer.offer(event);
        }
    }

    /** Connections being served (a dropped slow consumer no longer counts while its close completes). */
    int openConnections() {
        return (int)
                viewers.values().stream().filter(viewer -> !viewer.isDropped()).count();
    }

    private static UUID parseJobId(String jobId) {
        try {
            return jobId == null ? null : UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
