package io.distill.gateway;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClosedException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * {@code /ws/progress}: a browser subscribes to one job ({@code {"type":"subscribe","jobId":…}}) or
 * to all of its jobs ({@code {"type":"subscribe","all":true}}), gets the current state at once and
 * then every newer event; an admin may also follow runs ({@code {"type":"subscribe","runs":true}}). Thin on purpose: {@link Subscriptions} does the work. Whatever a client
 * sends, the answer is a message or a close with the fitting code — 1007 for text that is not
 * UTF-8, 1009 for a message over 8 KiB, 1008 for a broken frame — and one log line, never a stack trace.
 */
@WebSocket(path = "/ws/progress")
public class ProgressSocket {
    private static final Logger LOG = Logger.getLogger(ProgressSocket.class);

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
        subscriptions.open(
                connection, ((JsonWebToken) identity.getPrincipal()).getSubject(), identity.hasRole("admin"));
    }

    @OnTextMessage
    public Uni<Void> onMessage(String message) {
        // Vert.x decodes a text frame that is not UTF-8 with U+FFFD in place of the bad bytes
        if (message.indexOf('\uFFFD') >= 0) {
            return close(connection, 1007, "text frames must be UTF-8");
        }
        return subscriptions.handle(connection, message);
    }

    @OnClose
    public void onClose() {
        subscriptions.close(connection);
    }

    @OnError
    public Uni<Void> onError(Throwable failure, WebSocketConnection failed) {
        if (failure instanceof HttpClosedException || failure instanceof java.io.IOException) {
            LOG.debugf("WebSocket %s dropped: %s", failed.id(), failure.toString());
            return Uni.createFrom().voidItem();
        }
        if (failure instanceof CorruptedWebSocketFrameException frame) {
            return close(
                    failed, frame.closeStatus().code() == 1009 ? 1009 : 1008, "broken frame: " + frame.getMessage());
        }
        if (failure instanceof IllegalStateException
                && String.valueOf(failure.getMessage()).contains("max message size")) {
            return close(failed, 1009, "messages are limited to 8 KiB");
        }
        LOG.warnf("WebSocket %s failed: %s", failed.id(), failure.toString());
        return close(failed, 1011, "internal error");
    }

    private static Uni<Void> close(WebSocketConnection target, int code, String reason) {
        LOG.infof("closing WebSocket %s with %d: %s", target.id(), code, reason);
        return target.isOpen()
                ? target.close(new CloseReason(code, reason))
                : Uni.createFrom().voidItem();
    }
}
