package io.distill.worker.jobs;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On SIGTERM (after readiness went down, see {@code quarkus.shutdown.delay}): stop fetching jobs and
 * let the ones in flight finish, up to a deadline. Whatever is still running then is left to its
 * lease: it expires and the sweeper hands the job to another worker.
 */
@ApplicationScoped
public class ShutdownDrain {
    private static final Logger LOG = Logger.getLogger(ShutdownDrain.class);

    private final KafkaClientService kafka;
    private final LeaseKeeper leases;
    private final Duration deadline;

    public ShutdownDrain(
            KafkaClientService kafka,
            LeaseKeeper leases,
            @ConfigProperty(name = "distill.worker.drain-timeout") Duration deadline) {
        this.kafka = kafka;
        this.leases = leases;
        this.deadline = deadline;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        try {
            kafka.getConsumer("jobs-in").pause().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("could not pause the jobs consumer: %s", e.toString());
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (leases.inFlight() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.infof("shutdown drain done: %d jobs still in flight are left to lease expiry", leases.inFlight());
    }
}
