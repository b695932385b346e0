package io.distill.gateway;

import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds every job event this replica receives to the subscriptions. */
@ApplicationScoped
public class JobEventsConsumer {
    private final Subscriptions subscriptions;
    private final Tracer tracer;

    public JobEventsConsumer(Subscriptions subscriptions, Tracer tracer) {
        this.subscriptions = subscriptions;
        this.tracer = tracer;
    }

    @Incoming("job-events")
    public void onEvent(String record) {
        ProgressEvent event = Json.read(record, ProgressEvent.class);
        // the last hop of a job's trace: REST call, Kafka, worker stages, Kafka, this push
        Span span = tracer.spanBuilder("distill.ws.push")
                .setAttribute("distill.job.id", event.jobId().toString())
                .setAttribute("distill.stage", event.stage().name())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            subscriptions.dispatch(event);
        } finally {
            span.end();
        }
    }
}
