package io.distill.gateway;

import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
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
    private final JobSnapshots snapshots;
    private final OpenConnections connections;

    private final GatewayMetrics metrics;

    public Subscriptions(JobSnapshots snapshots, OpenConnections connections, GatewayMetrics metrics, MeterRegistry registry) {
        this.snapshots = snapshots;
        this.connections = connections;
        this.metrics = metrics;
        Gauge.builder("distill.ws.connections", viewers, Map::size).description("open WebSocket connections").register(registry);
    }

    void open(WebSocketConnection connection, String user) {
        // the injected connection is a session-scoped proxy; events are sent from Kafka's threads,
        // outside any session, so keep the connection object itself
        connections.findByConnectionId(connection.id())
                .ifPresent(open -> viewers.put(open.id(), new Viewer(open, user, metrics)));
    }

    void close(WebSocketConnection connection) {
        viewers.remove(connection.id());
    }

    Uni<Void> handle(WebSocketConnection connection, String text) {
        Viewer viewer = viewers.get(connection.id());
        if (viewer == null) {
            return Uni.createFrom().voidItem();
        }
        ClientMessage message;
        try {
            message = Json.read(text, ClientMessage.class);
        } catch (IllegalArgumentException e) {
            viewer.send(ServerMessage.error("malformed message: expected JSON like {\"type\":\"subscribe\",\"jobId\":\"…\"}"));
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
            return snapshots.recent(viewer.userId(), RECENT_JOBS).invoke(events -> {
                viewer.send(ServerMessage.subscribed(null));
                events.forEach(viewer::offer);
            }).replaceWithVoid();
        }
        UUID jobId = parseJobId(message.jobId());
        if (jobId == null || !("subscribe".equals(message.type()) || "unsubscribe".equals(message.type()))) {
            viewer.send(ServerMessage.error("expected {\"type\":\"subscribe\"|\"unsubscribe\",\"jobId\":\"<uuid>\"} or {\"type\":\"subscribe\",\"all\":true}"));
            return Uni.createFrom().voidItem();
        }
        if ("unsubscribe".equals(message.type())) {
            viewer.unfollow(jobId);
            return Uni.createFrom().voidItem();
        }
        viewer.follow(jobId);
        if (message.lastSeq() != null) {
            viewer.seen(jobId, message.lastSeq());
        }
        return snapshots.job(jobId, viewer.userId()).invoke(snapshot -> {
            if (snapshot == null) {
                viewer.unfollow(jobId);
                viewer.send(ServerMessage.error("no job " + jobId));
                return;
            }
            viewer.send(ServerMessage.subscribed(jobId.toString()));
            viewer.offer(snapshot);
        }).replaceWithVoid();
    }

    /** Called for every event on the topic; each viewer decides whether it is for them. */
    void dispatch(ProgressEvent event) {
        metrics.received();
        for (Viewer viewer : viewers.values()) {
            viewer.offer(event);
        }
    }

    /** Connections being served (a dropped slow consumer no longer counts while its close completes). */
    int openConnections() {
        return (int) viewers.values().stream().filter(viewer -> !viewer.isDropped()).count();
    }

    private static UUID parseJobId(String jobId) {
        try {
            return jobId == null ? null : UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
