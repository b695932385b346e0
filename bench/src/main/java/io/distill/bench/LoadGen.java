package io.distill.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The submit load, from a process of its own: {@code POST /api/jobs} with a bearer token, either
 * closed-loop ({@code rate} 0: {@code concurrency} requests always in flight, to find the peak) or
 * open-loop at a fixed rate (requests start on schedule whatever the answers do, so a slow server
 * shows up as latency, not as a lower rate). Prints one line of JSON.
 * Several tokens (comma-separated) spread the requests over several users, round robin.
 * <p>{@code java … LoadGen <url> <token[,token…]> <seconds> <concurrency> <ratePerSecond or 0>}
 */
public final class LoadGen {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String[] tokens = args[1].split(",");
        Duration duration = Duration.ofSeconds(Long.parseLong(args[2]));
        int concurrency = Integer.parseInt(args[3]);
        double rate = Double.parseDouble(args[4]);
        // HTTP/1.1: concurrent requests on concurrent connections, spread over the server's event loops
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4))
                .build();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        AtomicLong withRetryAfter = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        Semaphore inFlight = new Semaphore(rate > 0 ? 4096 : concurrency);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        while (System.nanoTime() < end) {
            if (rate > 0) {
                long due = start + (long) (sent * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            inFlight.acquire();
            sent++;
            String body = "{\"text\":\"Benchmark message " + sequence.incrementAndGet()
                    + ": revenue EUR 1,200 on 2026-11-24.\"}";
            long t0 = System.nanoTime();
            String token = tokens[(int) (sent % tokens.length)];
            http.sendAsync(
                            HttpRequest.newBuilder(url)
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        latencies.add((System.nanoTime() - t0) / 1e6);
                        if (failure == null && response.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                            if (failure == null && response.statusCode() == 429) {
                                limited.incrementAndGet();
                                withRetryAfter.addAndGet(
                                        response.headers()
                                                        .firstValue("Retry-After")
                                                        .isPresent()
                                                ? 1
                                                : 0);
                            }
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(rate > 0 ? 4096 : concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies l = Latencies.of(latencies);
        System.out.printf(
                Locale.ROOT,
                "{\"sent\":%d,\"accepted\":%d,\"refused\":%d,\"limited\":%d,\"retryAfter\":%d,\"seconds\":%.3f,"
                        + "\"rate\":%.1f,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}%n",
                sent,
                accepted.get(),
                refused.get(),
                limited.get(),
                withRetryAfter.get(),
                seconds,
                accepted.get() / seconds,
                l.p50(),
                l.p99(),
                l.max());
        System.exit(0);
    }
}
