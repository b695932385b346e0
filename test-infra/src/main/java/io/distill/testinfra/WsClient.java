package io.distill.testinfra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that keeps every text message it receives, in order. */
public final class WsClient implements AutoCloseable {
    /** One client for every socket: an HttpClient per socket would mean a selector thread per socket. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private final boolean stalled;

    private WsClient(URI uri, boolean stalled) {
        this.stalled = stalled;
        this.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener())
                .join();
    }

    public static WsClient connect(String uri) {
        return new WsClient(URI.create(uri), false);
    }

    /** A client that stops reading after its first message, like a frozen browser tab. */
    public static WsClient connectStalled(String uri) {
        return new WsClient(URI.create(uri), true);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message, or null after the timeout. */
    public String next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<String> drain() {
        List<String> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    /** The close code once the server closed the connection, or null if still open after the timeout. */
    public Integer awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            if (!stalled) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
