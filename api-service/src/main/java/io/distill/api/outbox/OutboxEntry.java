package io.distill.api.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A message to publish, written in the same transaction as the state change it announces. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String topic;
    @Column(name = "message_key")
    public String messageKey;
    public String payload;
    public String traceparent;

    public static OutboxEntry of(String topic, String key, String payload) {
        OutboxEntry entry = new OutboxEntry();
        entry.topic = topic;
        entry.messageKey = key;
        entry.payload = payload;
        entry.traceparent = TraceParent.current();
        return entry;
    }
}
