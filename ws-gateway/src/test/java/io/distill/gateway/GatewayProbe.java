package io.distill.gateway;

import io.distill.model.JobStatus;
import io.distill.model.Json;
import io.distill.model.ProgressEvent;
import io.distill.model.Stage;
import io.distill.model.Topics;
import io.distill.testinfra.KafkaProbe;
import io.distill.testinfra.WsClient;
import java.time.Duration;
import java.util.UUID;

/**
 * The gateway reads the events topic from the end, starting once Kafka assigned its partitions:
 * tests publish probe events for a job until a subscribed client receives one.
 */
final class GatewayProbe {
    private GatewayProbe() {}

    /** Publishes probe events (sequence {@code firstSeq} upwards, progress 10) until {@code ws} gets one; returns its sequence. */
    static long awaitListening(KafkaProbe kafka, WsClient ws, UUID job, String user, long firstSeq, int attempts)
            throws Exception {
        long seq = firstSeq;
        for (int attempt = 0; attempt < attempts; attempt++, seq++) {
            kafka.send(
                    Topics.JOB_EVENTS,
                    job.toString(),
                    Json.write(ProgressEvent.of(job, user, Stage.TEXT_EXTRACT, JobStatus.PROCESSING, 10, seq)));
            String message = ws.next(Duration.ofMillis(500));
            if (message != null) {
                long received =
                        Json.mapper().readTree(message).get("event").get("seq").asLong();
                if (received != seq) {
                    throw new AssertionError("probe " + seq + " answered with sequence " + received);
                }
                return seq;
            }
        }
        throw new AssertionError("gateway never received events");
    }
}
