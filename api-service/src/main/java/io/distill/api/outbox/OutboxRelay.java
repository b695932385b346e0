package io.distill.api.outbox;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Moves outbox rows to Kafka on its own rhythm: a wake (after a commit that wrote rows) starts a
 * pass {@code distill.outbox.linger} later unless one is pending, so a burst of submissions goes
 * out as a few batches of up to {@code distill.outbox.batch-size}; a full batch is followed at once
 * by the next. A batch is deleted inside a transaction that commits only after Kafka has
 * acknowledged every record, so a crash or a Kafka outage leaves the rows for the next pass
 * (at-least-once; consumers tolerate duplicates). {@code SKIP LOCKED} lets several API replicas
 * relay side by side; a poll every {@code distill.outbox.poll-interval} is the safety net.
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
    private final Vertx vertx;
    private final int batchSize;
    private final long lingerMillis;
    /** A pass is scheduled or running: wakes meanwhile are covered by it (or by the one it chains). */
    private final AtomicBoolean busy = new AtomicBoolean();

    private final AtomicBoolean wanted = new AtomicBoolean();

    public OutboxRelay(
            @ReactiveDataSource("admin") Pool pool,
            @Channel("jobs-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    MutinyEmitter<String> emitter,
            Vertx vertx,
            @ConfigProperty(name = "distill.outbox.batch-size") int batchSize,
            @ConfigProperty(name = "distill.outbox.linger") Duration linger) {
        this.pool = pool;
        this.emitter = emitter;
        this.vertx = vertx;
        this.batchSize = batchSize;
        this.lingerMillis = Math.max(1, linger.toMillis());
    }

    /** Asks for a pass soon; passes never overlap within this process. */
    public void wake() {
        wanted.set(true);
        if (busy.compareAndSet(false, true)) {
            vertx.setTimer(lingerMillis, ignored -> pass());
        }
    }

    @Scheduled(
            every = "${distill.outbox.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    private void pass() {
        wanted.set(false);
        relayBatch().subscribe().with(this::afterPass, failure -> {
            LOG.warnf("outbox relay pass failed, rows stay for the next pass: %s", failure.toString());
            busy.set(false);
        });
    }

    private void afterPass(int relayed) {
        if (relayed >= batchSize) {
            pass(); // more are waiting: no linger
            return;
        }
        busy.set(false);
        // a wake() between the last claim and the reset must not be lost
        if (wanted.get() && busy.compareAndSet(false, true)) {
            vertx.setTimer(lingerMillis, ignored -> pass());
        }
    }

    Uni<Integer> relayBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_BATCH)
                .execute(Tuple.of(batchSize))
                .chain(rows -> publishAll(rows).replaceWith(rows.rowCount())));
    }

    private Uni<Void> publishAll(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = new ArrayList<>(rows.rowCount());
        for (Row row : rows) {
            Message<String> message = Message.of(row.getString("payload"))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
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
