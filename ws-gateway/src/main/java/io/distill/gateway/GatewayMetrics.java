package io.distill.gateway;

import io.distill.model.ProgressEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * What the gateway counts: events received and sent, what slow consumers cost, and how old an event is when it
 * arrives here (the worker's publish to the gateway's read: the Kafka hop of the progress path, apart from the push).
 */
@ApplicationScoped
public class GatewayMetrics {
    private final Counter received;
    private final Counter sent;
    private final Counter dropped;
    private final Counter slowConsumersClosed;
    private final Timer lag;

    public GatewayMetrics(MeterRegistry registry) {
        this.received = Counter.builder("distill.ws.events.received")
                .description("job events read from Kafka")
                .register(registry);
        this.sent = Counter.builder("distill.ws.events.sent")
                .description("messages queued on WebSocket connections")
                .register(registry);
        this.dropped = Counter.builder("distill.ws.events.dropped")
                .description("events not sent because their connection was closed as a slow consumer")
                .register(registry);
        this.slowConsumersClosed =
                Counter.builder("distill.ws.slow.consumers.closed").register(registry);
        this.lag = Timer.builder("distill.ws.events.lag")
                .description("from the event's publication by the worker to its arrival at the gateway")
                .register(registry);
    }

    void received(ProgressEvent event) {
        received.increment();
        if (event.timestamp() != null) {
            lag.record(Duration.between(event.timestamp(), Instant.now()));
        }
    }

    void sent() {
        sent.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }
}
