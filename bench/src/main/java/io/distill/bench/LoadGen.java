package io.distill.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The submit load, from a process of its own: {@code POST /api/jobs} with a bearer token, either
 * closed-loop ({@code rate} 0: {@code concurrency} requests always in flight, to find the peak) or
 * open-loop at a fixed rate (requests start on schedule whatever the answers do, so a slow server
 * shows up as latency, not as a lower rate). Prints one line of JSON.
 * Several tokens (comma-separated) spread the requests over several users, round robin. The same
 * load runs unmeasured for {@code warmupSeconds} first, in the same process, so that neither the
 * server nor this client is measured while the JIT compiles its hot paths. The client is Vert.x's
 * on one event loop: the load runs on the same two cores as the system under test, so it has to
 * cost little (the JDK's HttpClient cost a third of the machine at 180 requests/s).
 * <p>{@code java … LoadGen <url> <token[,token…]> <seconds> <concurrency> <ratePerSecond or 0> [warmupSeconds]}
 */
public final class LoadGen {
    private final RequestOptions target;
    private final String[] tokens;
    private final int concurrency;
    private final double rate;
    private final HttpClient http;
    /**
     * Every request starts on this one context. Started from the main thread, each request got a context of its own,
     * so the callback that asks for the body could run after the body had arrived: about one answer in 5,000 was then
     * never seen (the API had sent its 202, its access log showed), and a closed loop waited for it forever.
     */
    private final Context context;

    private final AtomicLong sequence = new AtomicLong();
    private long lastAccepted;
    private static final int MAX_OPEN_LOOP_IN_FLIGHT = 4096;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private LoadGen(URI url, String[] tokens, int concurrency, double rate) {
        this.target = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(url.getHost())
                .setPort(url.getPort())
                .setURI(url.getRawPath())
                .putHeader("Content-Type", "application/json");
        this.tokens = tokens;
        this.concurrency = concurrency;
        this.rate = rate;
        // HTTP/1.1: concurrent requests on concurrent connections, spread over the server's event loops
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        this.context = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(rate > 0 ? MAX_OPEN_LOOP_IN_FLIGHT : concurrency));
    }

    public static void main(String[] args) throws Exception {
        LoadGen load = new LoadGen(
                URI.create(args[0]), args[1].split(","), Integer.parseInt(args[3]), Double.parseDouble(args[4]));
        long warmupAccepted = 0;
        if (args.length > 5 && Long.parseLong(args[5]) > 0) {
            load.run(Duration.ofSeconds(Long.parseLong(args[5])), 0);
            warmupAccepted = load.lastAccepted;
        }
        System.out.println(load.run(Duration.ofSeconds(Long.parseLong(args[2])), warmupAccepted));
        System.exit(0);
    }

    /**
     * Runs the load for {@code duration} and waits for every answer; the result as one line of JSON,
     * with the jobs the warm-up had accepted (stored too: whoever counts durable jobs needs them).
     */
    private String run(Duration duration, long warmupAccepted) throws InterruptedException {
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        AtomicLong withRetryAfter = new AtomicLong();
        Semaphore inFlight = new Semaphore(rate > 0 ? MAX_OPEN_LOOP_IN_FLIGHT : concurrency);
        Set<Long> pending = ConcurrentHashMap.newKeySet();
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
            if (!inFlight.tryAcquire(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                break; // nothing answered for that long: stop sending, report below what is still unanswered
            }
            sent++;
            long message = sequence.incrementAndGet();
            pending.add(message);
            String body = "{\"text\":\"Benchmark message " + message + ": revenue EUR 1,200 on 2026-11-24.\"}";
            long t0 = System.nanoTime();
            String token = tokens[(int) (sent % tokens.length)];
            context.runOnContext(onLoop -> http.request(new RequestOptions(target)
                            .setIdleTimeout(ANSWER_TIMEOUT.toMillis())
                            .putHeader("Authorization", "Bearer " + token))
                    .compose(request -> request.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(ignored -> response))
                    .onComplete(answer -> {
                        pending.remove(message);
                        latencies.add((System.nanoTime() - t0) / 1e6);
                        if (answer.succeeded() && answer.result().statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                            if (answer.succeeded() && answer.result().statusCode() == 429) {
                                limited.incrementAndGet();
                                if (answer.result().getHeader("Retry-After") != null) {
                                    withRetryAfter.incrementAndGet();
                                }
                            }
                        }
                        inFlight.release();
                    }));
        }
        // every answer is awaited, but not forever: a request never answered is reported, not waited on
        int permits = rate > 0 ? MAX_OPEN_LOOP_IN_FLIGHT : concurrency;
        long unanswered = inFlight.tryAcquire(permits, ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                ? 0
                : permits - inFlight.availablePermits();
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies l = Latencies.of(latencies);
        lastAccepted = accepted.get();
        return String.format(
                Locale.ROOT,
                "{\"sent\":%d,\"accepted\":%d,\"refused\":%d,\"limited\":%d,\"retryAfter\":%d,\"seconds\":%.3f,"
                        + "\"rate\":%.1f,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f,\"warmupAccepted\":%d,\"unanswered\":%d,"
                        + "\"unansweredMessages\":\"%s\"}",
                sent,
                accepted.get(),
                refused.get(),
                limited.get(),
                withRetryAfter.get(),
                seconds,
                accepted.get() / seconds,
                l.p50(),
                l.p99(),
                l.max(),
                warmupAccepted,
                unanswered,
                pending.stream().sorted().limit(20).map(String::valueOf).collect(Collectors.joining(" ")));
    }
}
