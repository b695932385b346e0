package io.distill.gateway;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /ws/progress}: a browser subscribes to one job ({@code {"type":"subscribe","jobId":…}}) or
 * to all of its jobs ({@code {"type":"subscribe","all":true}}), gets the current state at once and
 * then every newer event. Thin on purpose: {@link Subscriptions} does the work.
 */
@WebSocket(path = "/ws/progress")
public class ProgressSocket {
    private final Subscriptions subscriptions;
    private final WebSocketConnection connection;
    private final SecurityIdentity identity;

    public ProgressSocket(Subscriptions subscriptions, WebSocketConnection connection, SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.connection = connection;
        this.identity = identity;
    }

    /** The upgrade was authenticated by its ticket (see {@link TicketAuthenticationMechanism}): its subject is the user. */
    @OnOpen
    public void onOpen() {
        subscriptions.open(connection, ((JsonWebToken) identity.getPrincipal()).getSubject());
    }

    @OnTextMessage
    public Uni<Void> onMessage(String message) {
        return subscriptions.handle(connection, message);
    }

    @OnClose
    public void onClose() {
        subscriptions.close(connection);
    }
}
