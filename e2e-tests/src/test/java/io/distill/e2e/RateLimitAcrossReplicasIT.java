package io.distill.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.Json;
import io.distill.testinfra.KraftBroker;
import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Resources;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-user submission limit with two API processes sharing it (README, "The submission rate
 * limit across replicas"): one user floods both at once, and together they accept no more than
 * {@code burst + rate × (W + block-ttl)}, and no less than the bucket held minus the blocks two
 * replicas may leave unspent; every refusal is a 429 with Retry-After and a JSON reason.
 */
// run alone (its own failsafe execution): its bounds are about time, which a class beside it would take
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RateLimitAcrossReplicasIT {
    private static final int PER_MINUTE = 60;
    private static final int BURST = 40;
    private static final int BLOCK_SIZE = 5;
    private static final Duration BLOCK_TTL = Duration.ofSeconds(2);
    private static final Duration FLOOD = Duration.ofSeconds(4);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static LocalPostgres pg;
    static KraftBroker kafka;
    static Stack stack;
    static ServiceProcess replica;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start();
        kafka = KraftBroker.start();
        Map<String, String> limit = Map.of(
                "distill.rate-limit.submissions-per-minute",
                String.valueOf(PER_MINUTE),
                "distill.rate-limit.burst",
                String.valueOf(BURST),
                "distill.rate-limit.block-size",
                String.valueOf(BLOCK_SIZE),
                "distill.rate-limit.block-ttl",
                BLOCK_TTL.toSeconds() + "s");
        stack = new Stack(pg, kafka.bootstrapServers()).startApi(limit);
        replica = stack.startApiReplica("api-replica", limit);
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, kafka, pg);
    }

    @Test
    void twoReplicasTogetherStayWithinTheStatedBound() throws Exception {
        String token = stack.token("flood");
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> wrongRefusals = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + FLOOD.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String url = (c % 2 == 0 ? stack.api() : replica).url("/api/jobs");
            running.add(clients.submit(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    HttpResponse<String> response = HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + token)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            Json.write(Map.of("text", "flood " + n++))))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.incrementAndGet();
                    } else {
                        refused.incrementAndGet();
                        if (response.statusCode() != 429
                                || response.headers().firstValue("Retry-After").isEmpty()
                                || !Json.mapper()
                                        .readTree(response.body())
                                        .path("error")
                                        .asText()
                                        .equals("rate_limited")) {
                            wrongRefusals.add(response.statusCode() + " "
                                    + response.headers().map() + " " + response.body());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get();
        }
        clients.shutdown();

        double seconds = FLOOD.toMillis() / 1000.0;
        double upper = BURST + PER_MINUTE / 60.0 * (seconds + BLOCK_TTL.toSeconds());
        // the stated undershoot (README): each replica's unspent block tokens expire, at most a block per
        // block-ttl per replica — more than two blocks when the machine is too busy to spend them in time
        int replicas = 2;
        double lower = BURST
                + PER_MINUTE / 60.0 * seconds
                - replicas * BLOCK_SIZE * (Math.ceil(seconds / BLOCK_TTL.toSeconds()) + 1);
        assertTrue(accepted.get() <= upper, "accepted " + accepted + " > burst + rate × (W + block-ttl) = " + upper);
        assertTrue(
                accepted.get() >= lower,
                "accepted " + accepted + " < burst + rate × W - N × block-size × (⌈W / block-ttl⌉ + 1) = " + lower);
        assertTrue(refused.get() > 0, "the flood was refused past the limit");
        assertEquals(List.of(), wrongRefusals, "every refusal is 429 rate_limited with Retry-After");
        assertEquals(
                accepted.get(),
                stack.count("select count(*) from extraction_jobs where user_id = ?", "flood"),
                "every accepted submission is a job");
    }
}
