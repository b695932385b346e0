package io.distill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many browser-side WebSocket clients in one process, on one HttpClient: each subscribes to all its
 * user's jobs and, for every progress message, records receive time minus the event's timestamp
 * (set by the worker when it published the event).
 */
final class ProgressClients implements AutoCloseable {
    private final ExecutorService listeners = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().executor(listeners).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    final ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    final AtomicLong received = new AtomicLong();

    void connect(String url) throws Exception {
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            record(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"all\":true}", true).get(10, TimeUnit.SECONDS);
        sockets.add(socket);
    }

    private void record(String text) {
        long now = System.currentTimeMillis();
        JsonNode message = Json.read(text, JsonNode.class);
        if ("progress".equals(message.path("type").asText())
                && message.at("/event/timestamp").isTextual()) {
            received.incrementAndGet();
            latencies.add((double) (now
                    - Instant.parse(message.at("/event/timestamp").asText()).toEpochMilli()));
        }
    }

    int size() {
        return sockets.size();
    }

    @Override
    public void close() {
        List<CompletableFuture<WebSocket>> closing = new ArrayList<>();
        for (WebSocket socket : sockets) {
            closing.add(socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> socket));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
        sockets.clear();
        // the suite's JVM goes on to other sections: leave no threads of this one behind
        listeners.shutdownNow();
    }
}
