package io.distill.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.LocalPostgres;
import io.distill.testinfra.Ports;
import io.distill.testinfra.Resources;
import io.distill.testinfra.ServiceProcess;
import io.distill.testinfra.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults against real processes: workers killed, paused and stopped, the Kafka broker and
 * PostgreSQL restarted. Every accepted job must end completed, with exactly one result.
 * Each test prints its figures as a {@code [chaos]} line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
    private static final Duration WAIT = Stack.WAIT;

    static LocalPostgres pg;
    static Path kafkaDir;
    static int kafkaPort;
    static int controllerPort;
    static ServiceProcess kafka;
    static Stack stack;
    static ServiceProcess steady;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.start();
        kafkaDir = Files.createTempDirectory("chaos-kafka-");
        kafkaPort = Ports.free();
        controllerPort = Ports.free();
        kafka = ServiceProcess.kafka(kafkaDir, kafkaPort, controllerPort).awaitListening(WAIT);
        // 500 submissions at once from one user: above the default burst, and the limit is not what this test is about
        stack = new Stack(pg, "127.0.0.1:" + kafkaPort).startApi(Map.of("distill.rate-limit.burst", "1000"));
        steady = stack.startWorker("steady", Map.of("distill.extraction.offline.latency", "200ms"));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, kafka, pg);
    }

    @Test
    @Order(1)
    void killingOneOfTwoWorkersWith500JobsInFlightLosesNothing() throws Exception {
        // slower than the survivor, so that it still holds a backlog when it dies
        ServiceProcess victim = stack.startWorker("victim", Map.of("distill.extraction.offline.latency", "1s"));
        String user = user("kill");
        List<UUID> jobs = submitConcurrently(user, 500);
        await("the victim holds jobs")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> processingBy(user, "victim"), n -> n > 0);
        long inFlightAtKill =
                stack.count("select count(*) from extraction_jobs where user_id = ? and status <> 'completed'", user);
        long heldByVictim = processingBy(user, "victim");
        long killedAt = System.nanoTime();
        victim.kill();

        awaitAllCompleted(user, jobs.size());
        long recoveryMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals(
                500,
                stack.count(
                        "select count(*) from extraction_results r join extraction_jobs j on j.id = r.job_id where j.user_id = ?",
                        user));
        assertEquals(
                0,
                stack.count("select count(*) from extraction_jobs where user_id = ? and status = 'processing'", user));
        long reclaimed =
                stack.count("select count(*) from extraction_jobs where user_id = ? and lease_version > 1", user);
        System.out.printf(
                "[chaos] kill -9: 500 jobs, %d unfinished at the kill, %d held by the killed worker, "
                        + "%d claimed again after lease expiry, 0 duplicate results, all completed %d ms after the kill%n",
                inFlightAtKill, heldByVictim, reclaimed, recoveryMs);
    }

    @Test
    @Order(2)
    void jobsAcceptedWhileKafkaIsDownCompleteAfterItReturns() throws Exception {
        String user = user("kafka");
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(stack.submit(user, "before the outage " + i));
        }
        kafka.close(); // SIGTERM: the broker shuts down
        long down = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            jobs.add(stack.submit(user, "during the outage " + i)); // 202 every time: the outbox holds them
            Thread.sleep(500);
        }
        long remaining = 30_000 - (System.nanoTime() - down) / 1_000_000;
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
        kafka = ServiceProcess.kafka(kafkaDir, kafkaPort, controllerPort).awaitListening(WAIT);
        long restarted = System.nanoTime();
        awaitAllCompleted(user, jobs.size());
        assertEquals(
                jobs.size(),
                stack.count(
                        "select count(*) from extraction_results r join extraction_jobs j on j.id = r.job_id where j.user_id = ?",
                        user));
        System.out.printf(
                "[chaos] kafka down %d s: %d jobs accepted (20 during the outage), all completed %d ms after the broker returned%n",
                (restarted - down) / 1_000_000_000, jobs.size(), (System.nanoTime() - restarted) / 1_000_000);
    }

    @Test
    @Order(3)
    void restartingPostgresDuringProcessingLosesAndDuplicatesNothing() throws Exception {
        String user = user("pg");
        List<UUID> jobs = submitConcurrently(user, 60);
        pg.stopServer();
        long down = System.nanoTime();
        await("API readiness down")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.api().readiness(), status -> status == 503);
        long readinessDownMs = (System.nanoTime() - down) / 1_000_000;
        Thread.sleep(3000);
        pg.startServer();
        long up = System.nanoTime();
        await("API readiness up")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.api().readiness(), status -> status == 200);
        long readinessUpMs = (System.nanoTime() - up) / 1_000_000;
        awaitAllCompleted(user, jobs.size());
        assertEquals(
                jobs.size(),
                stack.count(
                        "select count(*) from extraction_results r join extraction_jobs j on j.id = r.job_id where j.user_id = ?",
                        user));
        System.out.printf(
                "[chaos] postgres restart: %d jobs, readiness down after %d ms, up %d ms after restart, "
                        + "all completed %d ms after restart, 0 duplicates%n",
                jobs.size(), readinessDownMs, readinessUpMs, (System.nanoTime() - up) / 1_000_000);
    }

    @Test
    @Order(4)
    void aWorkerPausedPastItsLeaseHasItsLateWriteRejected() throws Exception {
        ServiceProcess sleeper = stack.startWorker("sleeper", Map.of("distill.extraction.offline.latency", "8s"));
        String user = user("pause");
        UUID held = submitUntilHeldBy(user, "sleeper", Duration.ofMillis(500));
        sleeper.signal("STOP");
        long paused = System.nanoTime();
        UUID job = held;
        await("the paused worker's job completed by another")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> stack.db
                                .query("select status from extraction_jobs where id = ?", job)
                                .get(0)
                                .get("status"),
                        "completed"::equals);
        long takeoverMs = (System.nanoTime() - paused) / 1_000_000;
        sleeper.signal("CONT");
        await("the resumed worker notices it lost the lease")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> uncheckedLog(sleeper), log -> log.contains("lease on job " + job + " is no longer held"));

        assertEquals(1, stack.count("select count(*) from extraction_results where job_id = ?", job));
        String completedBy = (String) stack.db
                .query(
                        "select lease_owner from job_state_transitions where job_id = ? "
                                + "and to_status = 'completed'",
                        job)
                .get(0)
                .get("lease_owner");
        assertTrue(completedBy.startsWith("steady"), "completed by the live worker, not " + completedBy);
        awaitAllCompleted(user, (int) stack.count("select count(*) from extraction_jobs where user_id = ?", user));
        System.out.printf(
                "[chaos] SIGSTOP past the lease: job taken over and completed %d ms after the pause; "
                        + "the resumed worker's late write was rejected%n",
                takeoverMs);
        sleeper.kill();
    }

    @Test
    @Order(5)
    void sigtermDrainsTheJobsInFlightAfterReadinessGoesDown() throws Exception {
        ServiceProcess leaving = stack.startWorker("leaving", Map.of("distill.extraction.offline.latency", "3s"));
        String user = user("drain");
        UUID held = submitUntilHeldBy(user, "leaving", Duration.ofMillis(300));
        leaving.signal("TERM");
        int readiness = await("readiness down on SIGTERM")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(leaving::readiness, s -> s == 503);
        assertEquals(503, readiness);
        assertTrue(leaving.awaitExit(Duration.ofSeconds(45)), "the worker exits after draining");
        UUID job = held;
        var row = stack.db
                .query("select status from extraction_jobs where id = ?", job)
                .get(0);
        assertEquals("completed", row.get("status"), "the job in flight was finished before exit");
        String completedBy = (String) stack.db
                .query(
                        "select lease_owner from job_state_transitions where job_id = ? "
                                + "and to_status = 'completed'",
                        job)
                .get(0)
                .get("lease_owner");
        assertTrue(completedBy.startsWith("leaving"), "finished by the draining worker itself, not " + completedBy);
        awaitAllCompleted(user, (int) stack.count("select count(*) from extraction_jobs where user_id = ?", user));
        System.out.println(
                "[chaos] SIGTERM: readiness 503 first, in-flight job finished by the leaving worker, clean exit");
    }

    /** Submits one job per interval until the named worker holds one of them (its partitions decide), and returns that job. */
    private static UUID submitUntilHeldBy(String user, String worker, Duration interval) {
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        return await("the " + worker + " worker took a job")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(interval)
                .until(
                        () -> {
                            stack.submit(user, "job " + submitted.getAndIncrement());
                            var rows = stack.db.query(
                                    "select id from extraction_jobs where user_id = ? and status = ? and lease_owner like ? limit 1",
                                    user,
                                    io.distill.model.JobStatus.PROCESSING.dbValue(),
                                    worker + "%");
                            return rows.isEmpty() ? null : (UUID) rows.get(0).get("id");
                        },
                        java.util.Objects::nonNull);
    }

    private static List<UUID> submitConcurrently(String user, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<UUID>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(
                        () -> stack.submit(user, "Chaos job " + k + ": revenue EUR " + k + " on 2026-11-01.")));
            }
            List<UUID> ids = new ArrayList<>();
            for (Future<UUID> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    private static void awaitAllCompleted(String user, int expected) {
        await(expected + " jobs of " + user + " completed")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> stack.count(
                                "select count(*) from extraction_jobs where user_id = ? and status = 'completed'",
                                user),
                        n -> n == expected);
    }

    private static long processingBy(String user, String worker) {
        return stack.count(
                "select count(*) from extraction_jobs where user_id = ? and status = 'processing' "
                        + "and lease_owner like ?",
                user,
                worker + "%");
    }

    private static String uncheckedLog(ServiceProcess process) {
        try {
            return process.log();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String user(String scenario) {
        return scenario + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
