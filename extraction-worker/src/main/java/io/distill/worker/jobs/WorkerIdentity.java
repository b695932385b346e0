package io.distill.worker.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This process's name in leases and logs, unique per start: {@code distill.worker.id} when set
 * (a prefix), else the host name; then the pid and a random suffix.
 */
@ApplicationScoped
public class WorkerIdentity {
    private final String id;

    public WorkerIdentity(@ConfigProperty(name = "distill.worker.id") Optional<String> configured) {
        String prefix = configured.orElseGet(() -> System.getenv().getOrDefault("HOSTNAME", "worker"));
        this.id = prefix + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }
}
