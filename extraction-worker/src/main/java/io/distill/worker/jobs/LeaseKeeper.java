package io.distill.worker.jobs;

import io.distill.model.Stage;
import io.distill.worker.pipeline.JobContext;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the leases of this worker's in-flight jobs alive while a long stage runs, in one statement
 * for all of them — but never for a stage past its deadline. A job whose lease could not be
 * renewed (cancelled by its user, or taken over) has its running stage interrupted at once. A
 * worker that stops renewing (killed, paused, partitioned) loses its jobs to the sweeper once the
 * lease expires.
 */
@ApplicationScoped
public class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final JobStore store;
    private final Map<UUID, JobContext> held = new ConcurrentHashMap<>();

    public LeaseKeeper(JobStore store) {
        this.store = store;
    }

    void hold(JobContext context) {
        held.put(context.job().id(), context);
    }

    void release(JobContext context) {
        held.remove(context.job().id(), context);
    }

    public int inFlight() {
        return held.size();
    }

    @Scheduled(
            every = "${distill.worker.lease-renew-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        List<JobContext> renewable = held.values().stream()
                .filter(context -> !context.pastDeadline())
                .toList();
        if (renewable.isEmpty()) {
            return;
        }
        try {
            Set<UUID> renewed = new HashSet<>(
                    store.renew(renewable.stream().map(JobContext::job).toList()));
            for (JobContext context : renewable) {
                // from PERSIST on the job's own lease-guarded write decides: its status may already be 'completed'
                if (!renewed.contains(context.job().id()) && context.stage().compareTo(Stage.PERSIST) < 0) {
                    LOG.infof(
                            "job %s: lease not renewed (cancelled or taken over); stopping its %s stage",
                            context.job().id(), context.stage());
                    context.leaseLost();
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("lease renewal failed: %s", e.toString());
        }
    }
}
