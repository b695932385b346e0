package io.distill.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The submit load, from a process of its own: {@code POST /api/jobs} with a bearer token, either
 * closed-loop ({@code rate} 0: {@code concurrency} requests always in flight, to find the peak) or
 * open-loop at a fixed rate (requests start on schedule whatever the answers do, so a slow server
 * shows up as latency, not as a lower rate). Prints one line of JSON.
 * Several tokens (comma-separated) spread the requests over several users, round robin. The same
 * load runs unmeasured for {@code warmupSeconds} first, in the same process, and again until this
 * process's JIT compiler used under {@link CpuUse#JIT_SETTLED_CORES} of a core over one such round
 * (at most ten), so that neither the server nor this client is measured while the JIT compiles its
 * hot paths. The client is Vert.x's on one event loop: the load runs on the same two cores as the
 * system under test, so it has to cost little (the JDK's HttpClient cost a third of the machine at
 * 180 requests/s).
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
    static final int MOST_WARM_UP_ROUNDS = 10;
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

    public static void main(String[] args) {
        int status = 1;
        try {
            measure(args);
            status = 0;
        } catch (Exception | Error failed) {
            failed.printStackTrace();
        } finally {
            System.exit(status); // the event loop's thread would keep the JVM, and the suite, waiting
        }
    }

    private static void measure(String[] args) throws Exception {
        LoadGen load = new LoadGen(
                URI.create(args[0]), args[1].split(","), Integer.parseInt(args[3]), Double.parseDouble(args[4]));
        long warmupSeconds = args.length > 5 ? Long.parseLong(args[5]) : 0;
        AtomicLong warmupAccepted = new AtomicLong();
        // rounds until this JVM's own JIT settles: after one round of 3 s its compiler still took 0.30 of a
        // core, two thirds of this process, through the measured run
        List<String> warmupJit = warmupSeconds == 0
                ? List.of()
                : CpuUse.untilJitSettles(ProcessHandle.current().pid(), MOST_WARM_UP_ROUNDS, round -> {
                    load.run(Duration.ofSeconds(warmupSeconds), 0);
                    warmupAccepted.addAndGet(load.lastAccepted);
                });
        String result = load.run(Duration.ofSeconds(Long.parseLong(args[2])), warmupAccepted.get());
        System.out.println(
                result.substring(0, result.length() - 1) + ",\"warmupJit\":\"" + String.join(" / ", warmupJit) + "\"}");
    }

    /**
     * Runs the load for {@code duration} and waits for every answer; the result as one line of JSON,
     * with the jobs the warm-up had accepted (stored too: whoever counts durable jobs needs them).
     * The whole run lives on the client's event loop (a closed loop sends the next request from the
     * answer's callback, an open loop from a 1 ms timer), not on a sending thread that hands each
     * request to the loop and waits for each answer: no thread wake-ups per request.
     */
    private String run(Duration duration, long warmupAccepted) throws Exception {
        Run load = new Run(System.nanoTime(), duration.toNanos(), warmupAccepted);
        context.runOnContext(begin -> load.begin());
        // every request has an idle timeout, so the run ends; if it has not by then, what is left is reported
        try {
            return load.result.get(duration.plus(ANSWER_TIMEOUT).toSeconds() + 10, TimeUnit.SECONDS);
        } catch (TimeoutException stuck) {
            context.runOnContext(stop -> load.finish());
            return load.result.get(10, TimeUnit.SECONDS);
        }
    }

    /** This process's CPU time, all its threads: the load generator's own share of the machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One run's state, touched on the event loop only. */
    private final class Run {
        final CompletableFuture<String> result = new CompletableFuture<>();
        final long start;
        final long end;
        final long cpuAtStart = processCpuNanos();
        final CpuUse jit = CpuUse.start(
                Map.of("JIT", () -> CpuUse.threads(ProcessHandle.current().pid(), CpuUse.JIT_THREADS)));
        final long warmupAccepted;
        final Set<Long> pending = new HashSet<>();
        double[] latencies = new double[1 << 16];
        int answered;
        long sent;
        long accepted;
        long refused;
        long limited;
        long withRetryAfter;
        boolean sending = true;

        Run(long start, long nanos, long warmupAccepted) {
            this.start = start;
            this.end = start + nanos;
            this.warmupAccepted = warmupAccepted;
        }

        void begin() {
            if (rate > 0) {
                context.owner().setPeriodic(1, timer -> {
                    long now = System.nanoTime();
                    long scheduled;
                    while ((scheduled = start + (long) (sent * 1e9 / rate)) <= Math.min(now, end - 1)
                            && pending.size() < MAX_OPEN_LOOP_IN_FLIGHT) {
                        // from the scheduled time, so a late send counts as latency, not as a lower rate
                        send(scheduled);
                    }
                    if (now >= end) {
                        context.owner().cancelTimer(timer);
                        stopSending();
                    }
                });
            } else {
                for (int c = 0; c < concurrency; c++) {
                    send(System.nanoTime());
                }
            }
        }

        private void send(long t0) {
            sent++;
            long message = sequence.incrementAndGet();
            pending.add(message);
            String body = "{\"text\":\"Benchmark message " + message + ": revenue EUR 1,200 on 2026-11-24.\"}";
            String token = tokens[(int) (sent % tokens.length)];
            http.request(new RequestOptions(target)
                            .setIdleTimeout(ANSWER_TIMEOUT.toMillis())
                            .putHeader("Authorization", "Bearer " + token))
                    .compose(request -> request.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(ignored -> response))
                    .onComplete(answer -> answered(message, t0, answer));
        }

        private void answered(long message, long t0, AsyncResult<HttpClientResponse> answer) {
            if (result.isDone()) {
                return; // after a stuck run's finish(): reported as unanswered already
            }
            pending.remove(message);
            if (answered == latencies.length) {
                latencies = Arrays.copyOf(latencies, answered * 2);
            }
            latencies[answered++] = (System.nanoTime() - t0) / 1e6;
            if (answer.succeeded() && answer.result().statusCode() == 202) {
                accepted++;
            } else {
                refused++;
                if (answer.succeeded() && answer.result().statusCode() == 429) {
                    limited++;
                    if (answer.result().getHeader("Retry-After") != null) {
                        withRetryAfter++;
                    }
                }
            }
            if (rate == 0 && System.nanoTime() < end) {
                send(System.nanoTime());
            } else if (rate == 0) {
                stopSending();
            } else if (!sending && pending.isEmpty()) {
                finish();
            }
        }

        private void stopSending() {
            sending = false;
            if (pending.isEmpty()) {
                finish();
            }
        }

        void finish() {
            if (result.isDone()) {
                return;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cores = (processCpuNanos() - cpuAtStart) / 1e9 / seconds;
            double jitCores = jit.stopCores().get("JIT");
            Latencies l = Latencies.of(Arrays.copyOf(latencies, answered));
            lastAccepted = accepted;
            result.complete(String.format(
                    Locale.ROOT,
                    "{\"sent\":%d,\"accepted\":%d,\"refused\":%d,\"limited\":%d,\"retryAfter\":%d,\"seconds\":%.3f,"
                            + "\"rate\":%.1f,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f,\"warmupAccepted\":%d,\"unanswered\":%d,"
                            + "\"unansweredMessages\":\"%s\",\"cores\":%.2f,\"jitCores\":%.2f}",
                    sent,
                    accepted,
                    refused,
                    limited,
                    withRetryAfter,
                    seconds,
                    accepted / seconds,
                    l.p50(),
                    l.p99(),
                    l.max(),
                    warmupAccepted,
                    pending.size(),
                    pending.stream().sorted().limit(20).map(String::valueOf).collect(Collectors.joining(" ")),
                    cores,
                    jitCores));
        }
    }
}
