package io.distill.gateway;

import io.distill.model.Json;
import io.distill.model.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Feeds every run event this replica receives to the admins who follow runs. */
@ApplicationScoped
public class RunEventsConsumer {
    private final Subscriptions subscriptions;

    public RunEventsConsumer(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Incoming("run-events")
    public void onEvent(String record) {
        subscriptions.dispatch(Json.read(record, RunEvent.class));
    }
}
