package io.distill.worker.progress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The job events producer: keyed by job, carrying the job's trace, and never holding a job's thread for long. */
@Timeout(30)
class JobEventsProducerTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void anEventIsKeyedByItsJobAndCarriesTheTraceItWasSentIn() {
        MockProducer<String, String> client =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        JobEventsProducer events =
                new JobEventsProducer(client, W3CTraceContextPropagator.getInstance(), new SimpleMeterRegistry());
        Span stage = Span.wrap(
                SpanContext.create(TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()));
        AtomicReference<Exception> outcome = new AtomicReference<>(new IllegalStateException("callback not called"));

        try (Scope ignored = stage.makeCurrent()) {
            events.send("job-1", "{\"seq\":1}", (sent, failure) -> outcome.set(failure));
        }

        ProducerRecord<String, String> record = client.history().get(0);
        assertEquals(Topics.JOB_EVENTS, record.topic());
        assertEquals("job-1", record.key());
        assertEquals("{\"seq\":1}", record.value());
        String traceparent =
                new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        assertTrue(traceparent.contains(TRACE), traceparent);
        assertEquals(null, outcome.get(), "delivered");
    }

    @Test
    void aSendTheClientRefusesIsReportedToTheCallbackNotThrownAtTheJob() {
        MockProducer<String, String> client =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        JobEventsProducer events =
                new JobEventsProducer(client, W3CTraceContextPropagator.getInstance(), new SimpleMeterRegistry());
        client.close();
        AtomicReference<Exception> outcome = new AtomicReference<>();

        events.send("job-1", "{}", (sent, failure) -> outcome.set(failure));

        assertNotNull(outcome.get(), "the refusal reaches the callback");
    }

    @Test
    void withNoBrokerReachableASendBlocksItsJobNoLongerThanMaxBlock() throws Exception {
        JobEventsProducer events = toAClosedPort();
        AtomicReference<Exception> outcome = new AtomicReference<>();
        try {
            long t0 = System.nanoTime();
            events.send("job-1", "{}", (sent, failure) -> outcome.set(failure));
            long blockedMs = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(blockedMs < 3_000, "send blocked " + blockedMs + " ms");
            await().atMost(Duration.ofSeconds(10)).until(() -> outcome.get() != null);
        } finally {
            events.close();
        }
    }

    @Test
    void withNoBrokerReachableAtStartupTheWorkerStartsAfterAtMostMaxBlock() throws Exception {
        JobEventsProducer events = toAClosedPort();
        try {
            long t0 = System.nanoTime();
            events.connect(null);
            long blockedMs = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(blockedMs < 3_000, "startup blocked " + blockedMs + " ms");
        } finally {
            events.close();
        }
    }

    /** A real client whose only broker address is a port nobody listens on. */
    private static JobEventsProducer toAClosedPort() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        return new JobEventsProducer(
                JobEventsProducer.client(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort), settings()),
                W3CTraceContextPropagator.getInstance(),
                new SimpleMeterRegistry());
    }

    private static JobEventsSettings settings() {
        return new JobEventsSettings() {
            @Override
            public String acks() {
                return "all";
            }

            @Override
            public Duration linger() {
                return Duration.ofMillis(5);
            }

            @Override
            public Duration maxBlock() {
                return Duration.ofMillis(500);
            }

            @Override
            public Duration deliveryTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration requestTimeout() {
                return Duration.ofSeconds(1);
            }
        };
    }
}
