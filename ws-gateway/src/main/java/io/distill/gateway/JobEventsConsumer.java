package io.distill.gateway;

import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds every job event this replica receives to the subscriptions. */
@ApplicationScoped
public class JobEventsConsumer {
    private final Subscriptions subscriptions;

    public JobEventsConsumer(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Incoming("job-events")
    public void onEvent(String record) {
        subscriptions.dispatch(Json.read(record, ProgressEvent.class));
    }
}
