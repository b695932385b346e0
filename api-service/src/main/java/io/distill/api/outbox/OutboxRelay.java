package io.distill.api.outbox;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves outbox rows to Kafka. A batch is deleted inside a transaction that commits only after Kafka
 * has acknowledged every record, so a crash or a Kafka outage leaves the rows for the next pass
 * (at-least-once; consumers tolerate duplicates). {@code SKIP LOCKED} lets several API replicas
 * relay side by side. Woken right after each submission commits, and polled as a safety net.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String CLAIM_BATCH = """
            delete from outbox where id in (
                select id from outbox order by id limit $1 for update skip locked)
            returning id, topic, message_key, payload, traceparent""";

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final int batchSize;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    public OutboxRelay(Pool pool,
                       @Channel("jobs-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<String> emitter,
                       @ConfigProperty(name = "distill.outbox.batch-size") int batchSize) {
        this.pool = pool;
        this.emitter = emitter;
        this.batchSize = batchSize;
    }

    /** Asks for a relay pass; passes never overlap within this process. */
    public void wake() {
        wanted.set(true);
        if (running.compareAndSet(false, true)) {
            pass();
        }
    }

    @Scheduled(every = "${distill.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    private void pass() {
        wanted.set(false);
        relayBatch().subscribe().with(this::afterPass, failure -> {
            LOG.warnf("outbox relay pass failed, rows stay for the next pass: %s", failure.toString());
            running.set(false);
        });
    }

    private void afterPass(int relayed) {
        if (relayed >= batchSize || wanted.get()) {
            pass();
            return;
        }
        running.set(false);
        // a wake() between the check above and the reset must not be lost
        if (wanted.get() && running.compareAndSet(false, true)) {
            pass();
        }
    }

    Uni<Integer> relayBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_BATCH).execute(Tuple.of(batchSize))
                .chain(rows -> publishAll(rows).replaceWith(rows.rowCount())));
    }

    private Uni<Void> publishAll(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = new ArrayList<>(rows.rowCount());
        for (Row row : rows) {
            Message<String> message = Message.of(row.getString("payload")).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder()
                            .withTopic(row.getString("topic"))
                            .withKey(row.getString("message_key"))
                            .build());
            String traceparent = row.getString("traceparent");
            if (traceparent != null) {
                // the producer span continues the submitting request's trace
                message = message.addMetadata(TracingMetadata.withCurrent(TraceParent.toContext(traceparent)));
            }
            sends.add(emitter.sendMessage(message));
        }
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }
}
