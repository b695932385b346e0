package io.distill.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** What the gateway counts: events received and sent, and what slow consumers cost. */
@ApplicationScoped
public class GatewayMetrics {
    private final Counter received;
    private final Counter sent;
    private final Counter dropped;
    private final Counter slowConsumersClosed;

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
    }

    void received() {
        received.increment();
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
