package io.distill.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible chat-completions server for benchmarks, in its own process: every answer
 * takes a fixed latency L (held without a thread, on a scheduler), a share of requests can fail
 * with 500, and a token bucket can answer 429 with Retry-After beyond a request rate. The answer is
 * a valid record of the {@code generic} template, so jobs complete.
 * <p>{@code java … LlmStub <port> <latencyMs> <faultRate 0..1> <ratePerSecond or 0>}; prints its counters on exit.
 */
public final class LlmStub {
    static final String ANSWER = """
            {"record": {"title": "Quarterly report", "summary": "Revenue grew.", "word_count": 12, "emails": [], "urls": [],
             "dates": ["2026-11-24"], "amounts": ["EUR 1,200"]},
             "evidence": [{"field": "title", "quote": "Quarterly report"}]}""";

    private final AtomicLong served = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final long latencyMs;
    private final double faultRate;
    private final double ratePerSecond;
    private double tokens;
    private long lastRefill = System.nanoTime();

    private LlmStub(long latencyMs, double faultRate, double ratePerSecond) {
        this.latencyMs = latencyMs;
        this.faultRate = faultRate;
        this.ratePerSecond = ratePerSecond;
        this.tokens = ratePerSecond;
    }

    public static void main(String[] args) throws IOException {
        LlmStub stub = new LlmStub(Long.parseLong(args[1]), Double.parseDouble(args[2]), Double.parseDouble(args[3]));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/chat/completions", stub::handle);
        server.createContext("/stats", exchange -> stub.reply(exchange, 200, stub.stats()));
        server.start();
        System.out.println("llm-stub listening on " + args[0]);
    }

    private String stats() {
        return "{\"served\":" + served.get() + ",\"limited\":" + limited.get() + ",\"faulted\":" + faulted.get() + "}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        if (ratePerSecond > 0 && !take()) {
            limited.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", "1");
            reply(
                    exchange,
                    429,
                    "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        timer.schedule(
                () -> {
                    try {
                        if (faultRate > 0 && ThreadLocalRandom.current().nextDouble() < faultRate) {
                            faulted.incrementAndGet();
                            reply(
                                    exchange,
                                    500,
                                    "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
                        } else {
                            served.incrementAndGet();
                            reply(exchange, 200, completion());
                        }
                    } catch (IOException ignored) {
                        // the client went away
                    }
                },
                latencyMs,
                TimeUnit.MILLISECONDS);
    }

    private synchronized boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(ratePerSecond, tokens + (now - lastRefill) / 1e9 * ratePerSecond);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private static String completion() {
        String content = ANSWER.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
        return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"gpt-4o-mini-2024-07-18\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content
                + "\",\"refusal\":null},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":420,\"completion_tokens\":60,\"total_tokens\":480}}";
    }

    private void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
