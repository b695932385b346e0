package io.distill.worker.jobs;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the leases of this worker's in-flight jobs alive while a long stage runs, in one statement
 * for all of them. A worker that stops renewing (killed, paused, partitioned) loses its jobs to the
 * sweeper once the lease expires.
 */
@ApplicationScoped
public class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final JobStore store;
    private final Map<UUID, ClaimedJob> held = new ConcurrentHashMap<>();

    public LeaseKeeper(JobStore store) {
        this.store = store;
    }

    void hold(ClaimedJob job) {
        held.put(job.id(), job);
    }

    void release(ClaimedJob job) {
        held.remove(job.id(), job);
    }

    public int inFlight() {
        return held.size();
    }

    @Scheduled(every = "${distill.worker.lease-renew-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        if (held.isEmpty()) {
            return;
        }
        List<ClaimedJob> snapshot = List.copyOf(held.values());
        try {
            List<UUID> renewed = store.renew(snapshot);
            if (renewed.size() < snapshot.size()) {
                LOG.infof("%d of %d leases could not be renewed (taken over or cancelled)", snapshot.size() - renewed.size(), snapshot.size());
            }
        } catch (RuntimeException e) {
            LOG.warnf("lease renewal failed: %s", e.toString());
        }
    }
}
