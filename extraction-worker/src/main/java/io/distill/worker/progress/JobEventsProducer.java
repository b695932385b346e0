package io.distill.worker.progress;

import io.distill.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The worker's producer of the job events topic, on Kafka's own client. An attempt sends five or six
 * events and awaits none of them (see {@link ProgressPublisher}), so the emitter, message,
 * acknowledgement and tracing layers of a messaging channel around every record bought nothing, and
 * cost a tenth of the worker's CPU at 256 jobs in flight. The trace context still travels in the
 * record's headers ({@code traceparent}), so the gateway's push joins the job's trace. Settings come
 * from the {@code kafka.*} properties and {@code distill.events.*} (acks=all by default).
 */
@ApplicationScoped
public class JobEventsProducer {
    private static final Logger LOG = Logger.getLogger(JobEventsProducer.class);
    private static final TextMapSetter<Headers> HEADER =
            (headers, name, value) -> headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));

    private final Producer<String, String> producer;
    private final TextMapPropagator propagator;
    private final KafkaClientMetrics metrics;

    @Inject
    public JobEventsProducer(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            JobEventsSettings settings,
            OpenTelemetry telemetry,
            MeterRegistry registry) {
        this(client(kafka, settings), telemetry.getPropagators().getTextMapPropagator(), registry);
    }

    JobEventsProducer(Producer<String, String> producer, TextMapPropagator propagator, MeterRegistry registry) {
        this.producer = producer;
        this.propagator = propagator;
        // the client's own figures (kafka_producer_*), as for the clients of the messaging channels
        this.metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
    }

    static Producer<String, String> client(Map<String, Object> kafka, JobEventsSettings settings) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(settings.producer());
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "distill-worker-job-events");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * Created and connected at startup, before messaging delivers the first job: created on first
     * use, the client and the topic's metadata cost a fresh worker's first C jobs several hundred
     * milliseconds each, all waiting on the first send. Bounded by {@code distill.events.max-block};
     * a broker not up yet is logged, and the first send asks again.
     */
    void connect(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            producer.partitionsFor(Topics.JOB_EVENTS);
        } catch (RuntimeException notYet) {
            LOG.infof(
                    "job events topic not reachable at startup (%s); the first event will ask again",
                    notYet.toString());
        }
    }

    /** Hands the event to the client (non-blocking once the topic's metadata is known); {@code done} is told how it ended. */
    public void send(String jobKey, String json, Callback done) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.JOB_EVENTS, jobKey, json);
        propagator.inject(Context.current(), record.headers(), HEADER);
        try {
            producer.send(record, done);
        } catch (RuntimeException refused) {
            // not sent (no metadata within max-block, interrupted, closed): the same report as a failed delivery
            done.onCompletion(null, refused);
        }
    }

    @PreDestroy
    void close() {
        // what is still buffered goes out first: the last events of the jobs the shutdown drain let finish
        producer.close(Duration.ofSeconds(10));
        metrics.close();
    }
}
