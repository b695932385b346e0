package io.distill.worker.progress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** {@code distill.events.*}: how the worker's job events producer sends (the broker comes from {@code kafka.*}). */
@ConfigMapping(prefix = "distill.events")
public interface JobEventsSettings {

    /** Acknowledgement the broker gives before an event counts as sent. */
    @WithDefault("all")
    String acks();

    /** How long the client gathers events into one request (an attempt's short stages follow each other within it). */
    @WithDefault("5ms")
    Duration linger();

    /** Longest a send may block its job's thread: only while the topic's metadata is unknown or the buffer is full. */
    @WithDefault("2s")
    Duration maxBlock();

    /** An event not acknowledged within this is given up (logged; the job row holds what it said). */
    @WithDefault("30s")
    Duration deliveryTimeout();

    @WithDefault("10s")
    Duration requestTimeout();

    default Map<String, Object> producer() {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, acks(),
                ProducerConfig.LINGER_MS_CONFIG, (int) linger().toMillis(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock().toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        (int) deliveryTimeout().toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout().toMillis());
    }
}
